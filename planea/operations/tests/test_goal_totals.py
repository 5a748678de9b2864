"""The totals of goals per plan, subproduct and year that the database keeps (`GoalTotal`, triggers of migration 0008)
equal the sums of the goal rows after every way goals are written: the grid, an import, an approved reprogramming,
and the ORM's own inserts, updates, moves and deletes, committed or rolled back. The plan's summary reads them."""

import re

import pytest
from django.db import transaction
from django.db.models import Count, Sum

from planea.operations import goals, lifecycle, reprogramming, totals
from planea.operations.goals_excel import export_goals, import_goals
from planea.operations.models import MONTHS, GoalTotal, PhysicalGoal, goal_column
from planea.org.models import CostCenter

pytestmark = pytest.mark.django_db(transaction=True)  # each write commits, as in production

VALUES = [goal_column(attr, month) for month in MONTHS for attr in ("planned", "current")]


def summed_from_rows() -> dict[tuple[int, int, int], tuple[int, ...]]:
    rows = (
        PhysicalGoal.objects.values_list("plan_id", "subproduct_id", "year")
        .annotate(Count("id"), *(Sum(v) for v in VALUES))
        .order_by()
    )
    return {(p, s, y): tuple(int(n) for n in numbers) for p, s, y, *numbers in rows}


def kept() -> dict[tuple[int, int, int], tuple[int, ...]]:
    rows = GoalTotal.objects.values_list("plan_id", "subproduct_id", "year", "goals", *VALUES)
    return {(p, s, y): tuple(int(n) for n in numbers) for p, s, y, *numbers in rows}


def assert_kept() -> None:
    assert kept() == summed_from_rows()


def test_the_kept_totals_follow_every_write_of_the_application(plans, demo, client_as):
    poa, land, jefe = plans["poa"], plans["land"], demo["jefe_planes_programas"]
    assert kept() and kept() == summed_from_rows()  # written by goals.write when the fixture built the plans

    client = client_as("jefe_planes_programas")
    page = client.get(f"/planes/{poa.pk}/metas/?subproducto={land.pk}").content.decode()
    form = dict(re.findall(r'name="([co]-\d+-\d+-\d+)" value="([^"]*)"', page))
    name = next(n for n in form if n.startswith("c-") and n.endswith("-2026-3"))
    response = client.post(f"/planes/{poa.pk}/metas/guardar/", {**form, "subproducto": land.pk, name: "4321"})
    assert response.status_code == 302
    assert_kept()

    data = export_goals(poa)
    import_goals(data.replace(b"4321", b"1234") if b"4321" in data else data, jefe)
    assert_kept()

    lifecycle.approve([poa], actor=demo["subdirector_planificacion"])
    center = int(name.split("-")[1])
    request = reprogramming.request(
        poa, changes={(land.pk, center, 2026, 5): 777}, justification="Feria regional en mayo.", actor=jefe
    )
    reprogramming.approve(request, actor=demo["subdirector_planificacion"])
    assert_kept()
    line = next(line for line in totals.by_subproduct(poa) if line.key == land.pk)
    rows = PhysicalGoal.objects.filter(plan=poa, subproduct=land)
    assert line.values[4] == sum(row.value("current", 5) for row in rows)  # the summary reads the kept totals
    assert line.values == [sum(getattr(row, goal_column("current", m)) for row in rows) for m in range(1, 13)]


def test_the_kept_totals_follow_inserts_moves_and_deletes_of_any_kind(plans):
    poa, land = plans["poa"], plans["land"]
    other = plans["pei"].subproducts.exclude(pk=land.pk).first()
    centers = list(CostCenter.objects.order_by("code")[:3])
    PhysicalGoal.objects.filter(plan=poa, subproduct=other).delete()
    new = PhysicalGoal.objects.create(plan=poa, subproduct=other, cost_center=centers[0], year=2026, planned_1=7)
    assert_kept()
    PhysicalGoal.objects.bulk_create(
        [
            PhysicalGoal(plan=poa, subproduct=other, cost_center=c, year=2026, planned_2=2_000_000_000)
            for c in centers[1:]
        ]
    )
    assert_kept()  # sums past PostgreSQL's integer: the totals are bigint
    assert getattr(GoalTotal.objects.get(plan=poa, subproduct=other), goal_column("planned", 2)) == 4_000_000_000
    PhysicalGoal.objects.filter(plan=poa, subproduct=other).update(current_12=5)
    assert_kept()
    PhysicalGoal.objects.filter(pk=new.pk).update(subproduct=land)  # a row that moves to another total
    assert_kept()
    with transaction.atomic():
        PhysicalGoal.objects.filter(plan=poa, subproduct=other).delete()
        assert_kept()
        assert not GoalTotal.objects.filter(plan=poa, subproduct=other).exists()
        transaction.set_rollback(True)
    assert_kept()  # rolled back with the rows: the totals are in the same transaction
    assert GoalTotal.objects.get(plan=poa, subproduct=other).goals == 2
    with transaction.atomic():
        goals.write(
            goals.lock_plan(poa),
            {(other.pk, centers[0].pk, 2026, 1): 9},
            actor=None,
            action="goals_imported",
            summary="%(n)s",
        )
    assert_kept()
