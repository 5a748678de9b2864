"""The statistics pages: the load page (template of a year, upload of a template or CSV, the batches), the catalog
of variables, and the series page of a variable at a level with its excluded periods."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Min
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from planea.core import params
from planea.core.periods import MONTH_ABBR
from planea.core.responses import bad_request
from planea.jobs.imports import in_background
from planea.org.access import SignedInRequest, request_unit_scope, require_unit, scope_area
from planea.org.models import CostCenter, OrgUnit
from planea.spreadsheets.responses import xlsx_download
from planea.spreadsheets.xlsx import ImportRejected

from . import exclusions, page, series, tasks
from .excel import export_template
from .forms import ExcludedPeriodForm, StatisticsUploadForm
from .importing import load_file
from .loading import current_month
from .models import ExcludedPeriod, StatisticalVariable, StatisticsBatch, StatisticYear

BATCHES_SHOWN = 50
TEMPLATE_YEARS_BACK = 5


def template_years() -> list[int]:
    """The years whose template the load page offers, newest first: this year and the previous five, and every
    earlier year that has statistics (to revise them)."""
    this_year = timezone.localdate().year
    first = StatisticYear.objects.aggregate(first=Min("year"))["first"] or this_year
    return list(range(this_year, min(first, this_year - TEMPLATE_YEARS_BACK) - 1, -1))


def load(
    request: SignedInRequest,
    form: StatisticsUploadForm | None = None,
    issues: list[str] | None = None,
    issue_count: int = 0,
    status: int = 200,
) -> HttpResponse:
    batches = StatisticsBatch.objects.select_related("loaded_by")
    context = {
        "form": form or StatisticsUploadForm(),
        "years": template_years(),
        "batches": batches[:BATCHES_SHOWN],
        "batch_count": batches.count(),
        "issues": issues or [],
        "issue_count": issue_count,
    }
    return render(request, "statistics/load.html", context, status=status)


def template(request: SignedInRequest) -> HttpResponse:
    year = params.integer(request.GET, "anio", minimum=1990, maximum=2100)
    if year is None or year not in template_years():
        return bad_request(request, _("Elija un año de la lista para descargar su plantilla."))
    return xlsx_download(export_template(year), f"estadisticas-{year}.xlsx")


@require_POST
def upload(request: SignedInRequest) -> HttpResponse:
    """A filled template or a CSV: checked and loaded inside the request when small, by the task worker (the job
    page with its progress bar) when larger than PLANEA_IMPORT_INLINE_BYTES; all or nothing either way."""
    form = StatisticsUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return load(request, form, status=400)
    upload = form.cleaned_data["file"]
    data = upload.read()
    back = reverse("statistics:load")
    try:
        if len(data) > settings.PLANEA_IMPORT_INLINE_BYTES:
            start = in_background(
                task=tasks.import_statistics_job,
                kind="statistics_import",
                title=_("Carga de estadísticas de «%(file)s»") % {"file": upload.name[:80]},
                actor=request.user,
                next_url=back,
                retry_url=back,
            )
            return start(data, upload.name)
        result = load_file(data, request.user, upload.name)
    except ImportRejected as rejected:
        return load(request, form, rejected.messages, len(rejected.issues), status=400)
    messages.success(request, _("Carga completada: %(summary)s") % {"summary": result})
    return redirect(back)


def variables(request: SignedInRequest) -> HttpResponse:
    return render(request, "statistics/variables.html", {"entries": series.catalog()})


def _level(request: SignedInRequest, variable: StatisticalVariable) -> page.Level | HttpResponse:
    """The level the GET parameters ask for (`centro` or `area`; none: the institution), or the 400 page."""
    center_code, area_code = params.text(request.GET, "centro", 8), params.text(request.GET, "area", 20)
    if center_code or area_code:
        if not variable.per_cost_center:
            return bad_request(
                request,
                _("%(code)s es de toda la institución: no tiene series por centro de costo ni por área.")
                % {"code": variable.code},
            )
    if center_code:
        center = CostCenter.objects.select_related("org_unit").filter(code=center_code).first()
        if center is None:
            return bad_request(
                request, _("No hay un centro de costo con el código «%(code)s».") % {"code": center_code}
            )
        require_unit(request, center.org_unit_id)  # the area liaison reads only the centers of their area
        return page.Level(cost_center=center)
    if area_code:
        unit = OrgUnit.objects.filter(code=area_code).first()
        if unit is None:
            return bad_request(request, _("No hay un área con el código «%(code)s».") % {"code": area_code})
        require_unit(request, unit.pk)
        return page.Level(org_unit=unit)
    if variable.per_cost_center and request_unit_scope(request) is not None:
        # The institution's total adds the other areas' centers: the area liaison is taken to their own area.
        own = scope_area(request)
        if own is None:
            raise PermissionDenied
        return redirect(f"{request.path}?{urlencode({'area': own.code})}")
    return page.Level()


def _scoped_levels(request: SignedInRequest, variable: StatisticalVariable, level: page.Level) -> series.Levels:
    """The level selector, narrowed for the area liaison to the areas and centers of their area."""
    levels = series.levels(variable)
    scope = request_unit_scope(request)
    if scope is None:
        return levels
    units = set(OrgUnit.objects.filter(pk__in=scope).values_list("code", flat=True))
    centers = set(CostCenter.objects.filter(org_unit_id__in=scope).values_list("code", flat=True))
    areas = [a for a in levels.areas if a.code in units]
    if level.org_unit is not None and level.org_unit.code not in {a.code for a in areas}:
        areas.insert(0, series.LevelChoice("area", level.org_unit.code, str(level.org_unit)))
    return series.Levels(areas=areas, centers=[c for c in levels.centers if c.code in centers])


def series_page(
    request: SignedInRequest, code: str, form: ExcludedPeriodForm | None = None, status: int = 200
) -> HttpResponse:
    variable = get_object_or_404(StatisticalVariable.objects.select_related("unit", "subproduct"), code=code)
    level = _level(request, variable)
    if isinstance(level, HttpResponse):
        return level
    built = page.build(variable, level)
    context = {
        "page": built,
        "variable": variable,
        "level": level,
        "levels": _scoped_levels(request, variable, level),
        "whole_institution": request_unit_scope(request) is None,
        "form": form or _period_form(variable, level),
        "level_query": urlencode(level.query()),
        "month_labels": MONTH_ABBR,
    }
    return render(request, "statistics/series.html", context, status=status)


def series_csv(request: SignedInRequest, code: str) -> HttpResponse:
    """The series on screen as a two-column CSV (`mes,valor`), the form `forecast_csv` reads."""
    variable = get_object_or_404(StatisticalVariable, code=code)
    level = _level(request, variable)
    if isinstance(level, HttpResponse):
        return level
    values = series.monthly_series(variable, cost_center=level.cost_center, org_unit=level.org_unit)
    response = HttpResponse(series.as_csv(values), content_type="text/csv; charset=utf-8")
    suffix = f"-{level.code}" if level.code else ""
    response["Content-Disposition"] = f'attachment; filename="serie-{variable.code}{suffix}.csv"'
    return response


def _period_form(variable: StatisticalVariable, level: page.Level, data: object = None) -> ExcludedPeriodForm:
    return ExcludedPeriodForm(
        data, variable=variable, cost_center=level.cost_center, this_month=current_month(), prefix="periodo"
    )


def _back_to_series(variable: StatisticalVariable, level: page.Level) -> HttpResponse:
    url = reverse("statistics:series", args=[variable.code])
    query = urlencode(level.query())
    return redirect(f"{url}?{query}#periodos" if query else f"{url}#periodos")


@require_POST
def mark_period(request: SignedInRequest, code: str) -> HttpResponse:
    variable = get_object_or_404(StatisticalVariable, code=code)
    level = _level(request, variable)  # the level travels in the form's address
    if isinstance(level, HttpResponse):
        return level
    form = _period_form(variable, level, request.POST)
    if form.is_valid():
        try:
            exclusions.mark_period(form.span(), actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Periodo atípico marcado."))
            return _back_to_series(variable, level)
    messages.error(request, _("Corrija los datos marcados; no se guardó nada."))
    return series_page(request, code, form, status=400)


@require_POST
def remove_period(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    variable = get_object_or_404(StatisticalVariable, code=code)
    level = _level(request, variable)
    if isinstance(level, HttpResponse):
        return level
    period = get_object_or_404(ExcludedPeriod, pk=pk)
    if period.variable_id not in (None, variable.pk):
        raise Http404
    exclusions.remove_period(period, actor=request.user)
    messages.success(request, _("Periodo atípico %(span)s quitado.") % {"span": period})
    return _back_to_series(variable, level)
