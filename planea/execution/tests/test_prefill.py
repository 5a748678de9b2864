"""P6 step 2 pre-fills the month from the statistics loaded for it (variables measuring each subproduct, per cost
center, rounded to whole units); a person's correction, with its note, survives a second pre-fill."""

import pytest

from planea.execution import executed, prefill
from planea.execution.executed import ExecutionError
from planea.execution.models import ExecutedGoal, ExecutionChange, Source

pytestmark = pytest.mark.django_db


def test_the_month_is_prefilled_from_its_statistics_and_a_correction_survives(poa, demo, statistics):
    profesional = demo["profesional_planes_programas"]
    written = prefill.prefill(poa, 1, actor=profesional)
    land, (first, second) = statistics["land"], statistics["centers"]
    cells = executed.executed_of(poa, 1)
    by_code = {
        ExecutedGoal.objects.get(plan=poa, cost_center_id=c).cost_center.code: v for (_s, c, _m), v in cells.items()
    }
    assert by_code == {first: 1401, second: 250} and written.changed == 2  # 1,000.6 + 400, half up
    change = ExecutionChange.objects.filter(source=Source.STATISTICS).first()
    assert change is not None and change.statistics_batch_id == statistics["batch"].pk
    row = ExecutedGoal.objects.get(plan=poa, subproduct=land, cost_center__code=second)
    executed.write(
        poa, {(land.pk, row.cost_center_id, 1): 255}, source=Source.TYPED, actor=profesional, note="Conteo manual"
    )
    again = prefill.prefill(poa, 1, actor=profesional)
    row.refresh_from_db()
    assert (row.value(1), row.source(1)) == (255, Source.TYPED) and again.changed == 0


def test_without_statistics_of_the_month_nothing_is_prefilled(poa, demo, statistics):
    with pytest.raises(ExecutionError, match="No hay estadísticas de 03/2026"):
        prefill.prefill(poa, 3, actor=demo["profesional_planes_programas"])
