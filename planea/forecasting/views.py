"""The forecast pages: the runs (and starting one), a run's series with their chosen model and backtest error, and
one series' monthly forecast beside its history. Views parse, authorize and render; runs.py holds the work."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from planea.core.periods import month_abbr
from planea.jobs.services import JobLimitReached, fail_abandoned
from planea.org.access import SignedInRequest
from planea.org.models import CostCenter
from planea.statistics.models import StatisticalVariable, StatisticYear
from planea.statistics.series import month_totals

from .forms import SeriesFilterForm, StartRunForm
from .freshness import changes_since
from .models import ForecastRun, ForecastValue, SeriesForecast, SeriesLevel
from .runs import ForecastingError, data_until, last_closed_month, start_run

SERIES_PER_PAGE = 100
HISTORY_YEARS = 4  # years of statistics shown before the forecast on a series' chart


def run_list(request: SignedInRequest, form: StartRunForm | None = None) -> HttpResponse:
    fail_abandoned()  # a run whose worker stopped shows as failed, not «en proceso» forever
    runs = ForecastRun.objects.select_related("created_by", "job")[:200]
    closed = last_closed_month()
    return render(
        request,
        "forecasting/run_list.html",
        {"runs": runs, "form": form or StartRunForm(), "closed": closed, "until": data_until(closed)},
        status=400 if form is not None else 200,
    )


@require_POST
def run_start(request: SignedInRequest) -> HttpResponse:
    form = StartRunForm(request.POST)
    if form.is_valid():
        try:
            run = start_run(target_year=form.cleaned_data["target_year"], actor=request.user)
        except (ForecastingError, JobLimitReached) as error:
            form.add_error("target_year", str(error))
        else:
            assert run.job_id is not None
            return redirect("jobs:detail", pk=run.job_id)
    return run_list(request, form)


def run_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    fail_abandoned()
    run = get_object_or_404(ForecastRun.objects.select_related("created_by", "job"), pk=pk)
    variable_ids = SeriesForecast.objects.filter(run=run).values("variable_id").distinct()
    variables = list(StatisticalVariable.objects.filter(pk__in=variable_ids).order_by("code"))
    form = SeriesFilterForm(request.GET or None, variables=variables)
    series = SeriesForecast.objects.filter(run=run)
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
    elif form.is_bound:
        if code := form.cleaned_data["variable"]:
            series = series.filter(variable__code=code)
        if level := form.cleaned_data["nivel"]:
            series = series.filter(level=level)
    series = (
        series.select_related("variable__unit", "cost_center", "org_unit")
        .annotate(
            total=Sum("values__yhat"),
            total_lo80=Sum("values__lo80"),
            total_hi80=Sum("values__hi80"),
            total_lo95=Sum("values__lo95"),
            total_hi95=Sum("values__hi95"),
        )
        .order_by("variable__code", "level", "org_unit__code", "cost_center__code")
    )
    page = Paginator(series, SERIES_PER_PAGE).get_page(request.GET.get("pagina"))
    query = urlencode({k: v for k, v in (form.cleaned_data.items() if form.is_bound and status == 200 else []) if v})
    return render(
        request,
        "forecasting/run_detail.html",
        {
            "run": run,
            "form": form,
            "page": page,
            "query": query,
            "summary": run.summary or {},
            "changed": changes_since(run),
        },
        status=status,
    )


def _statistics_url(series: SeriesForecast) -> str:
    """The statistics page of the series, at its level."""
    url = reverse("statistics:series", args=[series.variable.code])
    if series.level == SeriesLevel.COST_CENTER and series.cost_center is not None:
        return f"{url}?{urlencode({'centro': series.cost_center.code})}"
    if series.level == SeriesLevel.AREA and series.org_unit is not None:
        return f"{url}?{urlencode({'area': series.org_unit.code})}"
    return url


def _history(series: SeriesForecast, first_year: int, until: date) -> dict[date, Decimal]:
    """The statistics the run read for this series, from January of `first_year` to `until` (totals computed)."""
    values = StatisticYear.objects.filter(variable=series.variable, year__gte=first_year, year__lte=until.year)
    if series.level == SeriesLevel.COST_CENTER:
        values = values.filter(cost_center=series.cost_center)
    elif series.level == SeriesLevel.AREA:
        values = values.filter(cost_center__in=CostCenter.objects.filter(org_unit=series.org_unit))
    elif series.variable.per_cost_center:
        values = values.filter(cost_center__isnull=False)
    else:
        values = values.filter(cost_center__isnull=True)
    totals = month_totals(values)
    return {
        date(year, month, 1): value
        for (year, month), value in totals.items()
        if (year, month) <= (until.year, until.month)
    }


def series_detail(request: SignedInRequest, pk: int, series_pk: int) -> HttpResponse:
    series = get_object_or_404(
        SeriesForecast.objects.select_related("run", "variable__unit", "cost_center", "org_unit"),
        pk=series_pk,
        run_id=pk,
    )
    run = series.run
    months = list(ForecastValue.objects.filter(series=series).order_by("month"))
    # In a run for the current year, the months already closed hold their statistics, not a forecast.
    observed = run.data_until.month if run.data_until.year == run.target_year else 0
    history = _history(series, run.target_year - HISTORY_YEARS, run.data_until)
    ahead = [v for v in months if v.month > observed]
    labels = [f"{month_abbr(m.month)} {m.year}" for m in history]
    labels += [f"{month_abbr(v.month)} {run.target_year}" for v in ahead]
    gap = [None] * len(history)
    chart = {
        "labels": labels,
        "history": [float(v) for v in history.values()] + [None] * len(ahead),
        **{f: gap + [float(getattr(v, f)) for v in ahead] for f in ("yhat", "base", "lo80", "hi80", "lo95", "hi95")},
    }
    totals = {
        f: sum((getattr(v, f) for v in months), Decimal(0)) for f in ("base", "yhat", "lo80", "hi80", "lo95", "hi95")
    }
    return render(
        request,
        "forecasting/series_detail.html",
        {
            "run": run,
            "series": series,
            "months": [(month_abbr(v.month), v, v.month <= observed) for v in months],
            "totals": totals,
            "chart": chart,
            "statistics_url": _statistics_url(series),
            "gap_months": _months_between(run.data_until, run.target_year),
            "changed": changes_since(run),
        },
    )


def _months_between(until: date, target_year: int) -> int:
    """Months forecast between the last month of data and January of the target year (not stored)."""
    return max(0, (target_year * 12) - (until.year * 12 + until.month))
