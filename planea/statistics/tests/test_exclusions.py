"""Marking and removing excluded periods through the service: one audit event each, every refusal in Spanish by
field, nothing written when refused."""

import pytest
from django.core.exceptions import ValidationError

from planea.audit.models import AuditEvent
from planea.audit.verify import verify_chain
from planea.org.models import CostCenter
from planea.statistics.exclusions import Span, mark_period, remove_period
from planea.statistics.models import ExcludedPeriod, Treatment

pytestmark = pytest.mark.django_db


def span(variable, **changes):
    fields = {
        "first": (2020, 3),
        "last": (2021, 12),
        "treatment": Treatment.EXCLUDE,
        "reason": "Pandemia de COVID-19",
        "variable": variable,
        "cost_center": CostCenter.objects.get(code="0201"),
        **changes,
    }
    return Span(**fields)


def test_a_mark_and_its_removal_are_one_audit_event_each(loaded, demo):
    actor = demo["estadistica"]
    period = mark_period(span(loaded["variable"], treatment=Treatment.BREAK), actor=actor)
    marked = AuditEvent.objects.get(action="statistics_period_marked")
    assert marked.after["treatment"] == "cambio_nivel" and marked.actor == actor
    assert "Cambio de nivel" in marked.summary and "Pandemia de COVID-19" in marked.summary
    remove_period(period, actor=demo["jefe_planes_programas"])
    removed = AuditEvent.objects.get(action="statistics_period_removed")
    assert removed.before["first_year"] == 2020 and removed.object_id == str(period.pk)
    assert not ExcludedPeriod.objects.exists()
    assert verify_chain().ok


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"first": (2021, 12), "last": (2020, 3)}, "last"),
        ({"reason": "  "}, "reason"),
        ({"treatment": "otro"}, "treatment"),
    ],
)
def test_a_bad_mark_is_refused_by_its_field(loaded, demo, changes, field):
    with pytest.raises(ValidationError) as refused:
        mark_period(span(loaded["variable"], **changes), actor=demo["estadistica"])
    assert list(refused.value.message_dict) == [field]
    assert not ExcludedPeriod.objects.exists()
    assert not AuditEvent.objects.filter(action="statistics_period_marked").exists()


def test_the_same_span_for_the_same_scope_is_refused_but_another_scope_is_not(loaded, demo):
    actor = demo["estadistica"]
    mark_period(span(loaded["variable"]), actor=actor)
    with pytest.raises(ValidationError) as refused:
        mark_period(span(loaded["variable"], reason="otra vez"), actor=actor)
    assert "ya está marcado para CTRL, 0201" in refused.value.message_dict["first"][0]
    mark_period(span(None), actor=actor)  # every variable
    mark_period(span(loaded["variable"], cost_center=None), actor=actor)  # every center
    mark_period(span(loaded["variable"], last=(2021, 11)), actor=actor)  # other months
    assert ExcludedPeriod.objects.count() == 4
