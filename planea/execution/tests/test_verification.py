"""An approved month is verified against what its approval fixed: unchanged, it passes; a figure changed behind the
locks (straight in the database) is named, and so is a tampered copy of the stored figures."""

import json

import pytest
from django.db import connection, transaction

from planea.execution import months
from planea.execution.models import ApprovedRevision, ExecutedGoal, FixedRecordError
from planea.execution.verification import verify
from planea.org.models import CostCenter

from .test_months import through_approval

pytestmark = pytest.mark.django_db


def test_an_unchanged_month_passes_and_a_changed_figure_is_named(poa, demo):
    january = through_approval(poa, 1, demo)
    revision = ApprovedRevision.objects.get(execution_month=january)
    assert verify(revision).ok and verify(revision).standing
    row = ExecutedGoal.objects.filter(plan=poa).select_related("subproduct", "cost_center").order_by("pk")[0]
    with connection.cursor() as cursor:  # around every lock of the application
        cursor.execute("UPDATE execution_executedgoal SET executed_1 = executed_1 + 1 WHERE id = %s", [row.pk])
    found = verify(revision)
    assert found.intact and not found.ok and found.changed == [(row.subproduct.code, row.cost_center.code)]
    assert not verify(revision, area_id=row.cost_center.org_unit_id).ok  # the area's own comprobante fails too
    other = CostCenter.objects.exclude(org_unit_id=row.cost_center.org_unit_id).exclude(org_unit=None).first()
    assert verify(revision, area_id=other.org_unit_id).ok  # another area's neither fails nor names the line


def test_tampered_stored_figures_fail_and_a_reopened_revision_is_no_longer_standing(poa, demo):
    january = through_approval(poa, 1, demo)
    revision = ApprovedRevision.objects.get(execution_month=january)
    figures = [dict(row) for row in revision.figures]
    figures[0]["executed"] = int(str(figures[0]["executed"])) + 1
    with pytest.raises(FixedRecordError), transaction.atomic():
        ApprovedRevision.objects.filter(pk=revision.pk).update(figures=figures)
    with pytest.raises(FixedRecordError), transaction.atomic():
        revision.save()
    with pytest.raises(FixedRecordError), transaction.atomic():
        revision.delete()
    with connection.cursor() as cursor:  # around the application
        cursor.execute(
            "UPDATE execution_approvedrevision SET figures = %s WHERE id = %s", [json.dumps(figures), revision.pk]
        )
    revision.refresh_from_db()
    assert not verify(revision).intact
    months.reopen(january, reason="Revisión de cifras", actor=demo["subdirector_planificacion"])
    revision.refresh_from_db()
    assert not verify(revision).standing and verify(revision).changed == []
