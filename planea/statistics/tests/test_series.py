"""The read side other apps call: the monthly series of a variable at a cost center, an area (its units and those
below) or the institution as sums of the cost-center values; the excluded periods that apply to a series; the
levels that have data; the revisions behind the values."""

from decimal import Decimal

import pytest
from django.utils import timezone

from planea.org.models import CostCenter, OrgUnit
from planea.statistics import series
from planea.statistics.models import ExcludedPeriod, StatisticalVariable

pytestmark = pytest.mark.django_db


def test_totals_at_the_three_levels_are_sums_of_the_cost_centers(loaded):
    variable = loaded["variable"]
    center = CostCenter.objects.get(code="0201")
    area = OrgUnit.objects.get(code="10.02.U0")
    assert series.monthly_series(variable, cost_center=center) == {
        (2024, 1): Decimal(105),
        (2024, 2): Decimal(110),
        (2025, 1): Decimal(120),
    }
    assert series.monthly_series(variable, org_unit=area) == {
        (2024, 1): Decimal(145),
        (2024, 2): Decimal(155),
        (2025, 1): Decimal(170),
    }
    # an area above: the Subdirección de Control Migratorio holds the land and the air posts
    assert series.monthly_series(variable, org_unit=OrgUnit.objects.get(code="10"))[(2024, 2)] == Decimal(1355)
    assert series.monthly_series(variable) == {
        (2024, 1): Decimal(1145),
        (2024, 2): Decimal(1355),
        (2025, 1): Decimal(1470),
    }


def period(demo, variable=None, center=None, first=(2020, 3), last=(2021, 12)):
    return ExcludedPeriod.objects.create(
        variable=variable,
        cost_center=center,
        first_year=first[0],
        first_month=first[1],
        last_year=last[0],
        last_month=last[1],
        reason="Pandemia",
        marked_by=demo["estadistica"],
        marked_at=timezone.now(),
    )


def test_the_exclusions_of_a_series_are_its_own_and_those_of_every_variable_or_center(loaded, demo):
    variable = loaded["variable"]
    other = StatisticalVariable.objects.create(code="OTRA", name="Otra", unit=variable.unit)
    tecun, aurora = CostCenter.objects.get(code="0201"), CostCenter.objects.get(code="0101")
    everywhere = period(demo)
    this_variable = period(demo, variable, first=(2023, 1), last=(2023, 1))
    this_center = period(demo, variable, tecun, first=(2022, 5), last=(2022, 6))
    every_variable_here = period(demo, None, tecun, first=(2019, 1), last=(2019, 1))
    period(demo, other)  # another variable's
    period(demo, variable, aurora, first=(2024, 1), last=(2024, 1))  # another center's
    assert series.exclusions_for(variable) == [everywhere, this_variable]
    assert series.exclusions_for(variable, tecun) == [every_variable_here, everywhere, this_center, this_variable]
    assert series.months_of_period(this_center) == [(2022, 5), (2022, 6)]
    assert len(series.months_of_period(everywhere)) == 22


def test_the_levels_with_data_are_their_areas_and_centers(loaded):
    levels = series.levels(loaded["variable"])
    assert [c.code for c in levels.centers] == ["0101", "0201", "0202"]
    # the areas of the centers; those that hold every center with data are the institution itself
    assert [a.code for a in levels.areas] == ["10.01.U0", "10.02.U0"]


def test_the_revisions_behind_a_series_keep_the_earlier_value_and_its_batch(loaded):
    variable = loaded["variable"]
    (revised,) = series.revisions(variable, cost_center=CostCenter.objects.get(code="0201"))[(2024, 1)]
    assert (revised.value, revised.batch) == (Decimal(105), loaded["revised"])
    assert [(e.value, e.batch) for e in revised.earlier] == [(Decimal(100), loaded["first"])]
    assert list(series.revisions(variable, org_unit=OrgUnit.objects.get(code="10.01.U0"))) == []
    assert list(series.revisions(variable)) == [(2024, 1)]


def test_the_catalog_gives_each_variable_its_last_month(loaded):
    (entry,) = series.catalog()
    assert (entry.variable, entry.last_month) == (loaded["variable"], (2025, 1))
