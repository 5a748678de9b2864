"""The pages of the execution of physical goals (P6): the months of each approved POA with the form that starts a
month's P6 case; a month's page (its lines beside their goals, written by hand with a note, taken from the
statistics or imported from Excel; the causes of deviation; the analysis of the month and the year to date; the
approved revisions with their comprobantes; the decisions on a reopened month); the verification of a comprobante
by its number; the four-monthly report; the dashboard. Views parse, authorize and render; the modules named after
each concept do the work."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from planea.audit.labels import action_label
from planea.audit.models import AuditEvent
from planea.audit.services import object_type_of
from planea.core import params, periods
from planea.core.errors import error_text
from planea.core.numbers import NumberError, parse_integer
from planea.documents.responses import document_response
from planea.jobs.responses import started
from planea.jobs.services import JobLimitReached
from planea.org.access import SignedInRequest, request_unit_scope, scoped_cost_centers
from planea.org.models import CostCenter, OrgUnit
from planea.org.roles import Role
from planea.procedures import step_requests
from planea.procedures.errors import ProcedureError
from planea.procedures.models import CaseTask, StepRequestStatus, TaskStatus
from planea.spreadsheets.responses import spreadsheet_import, xlsx_download
from planea.spreadsheets.xlsx import file_refused
from planea.statistics.loading import current_month

from . import (
    breakdown,
    comprobantes,
    dashboard,
    excel,
    four_monthly,
    month_case,
    months,
    p6_case,
    prefill,
    report_files,
    returned,
    tasks,
)
from .analysis import LineFigures, lines_by_month, summed, tolerance
from .executed import EDITOR_ROLES, GOAL_BOUNDS, ExecutionError, Line, write
from .forms import ReopenForm, ReportForm, SendBackForm, StartMonthForm, approved_poas
from .models import Comprobante, ExecutedGoal, ExecutionChange, ExecutionMonth, MonthStatus, Source
from .remembered import remembered, stamp
from .tasks import schedule_comprobantes
from .verification import verify

LINES_PER_PAGE = 100
NOTE_LENGTH = 500  # characters of the note of a correction (ExecutionChange.note)
# The fields of a line on the month's page: e-<subproduct>-<cost center> (executed), c-… (its cause).
LINE_FIELD = re.compile(r"[ec]-([0-9]{1,9})-([0-9]{1,9})", re.ASCII)


def months_page(request: SignedInRequest) -> HttpResponse:
    """The months of each approved POA with their state and case, and the form that starts a month's P6 case."""
    form = StartMonthForm(request.POST or None, initial=_next_to_start())
    existing = None
    can_start = month_case.STARTER_ROLE in request.user.role_slugs()
    if request.method == "POST":
        if not can_start:
            raise PermissionDenied
        if form.is_valid():
            try:
                started = month_case.start(form.cleaned_data["plan"], form.cleaned_data["month"], actor=request.user)
            except month_case.MonthCaseExists as error:
                form.add_error("month", error_text(error))
                existing = error.case
            except (ExecutionError, ProcedureError) as error:
                form.add_error(None, error_text(error))
            else:
                assert started.case is not None
                messages.success(
                    request,
                    _("Expediente %(case)s iniciado para la ejecución de %(month)s del %(plan)s.")
                    % {"case": started.case.number, "month": month_case.month_name(started), "plan": started.plan.code},
                )
                return redirect("procedures:case", started.case.pk)
    plans = list(approved_poas()[:5])
    by_plan: dict[int, dict[int, ExecutionMonth]] = {}
    for found in ExecutionMonth.objects.filter(plan__in=plans).select_related("case"):
        by_plan.setdefault(found.plan_id, {})[found.month] = found
    rows = [{"plan": plan, "months": [(m, by_plan.get(plan.pk, {}).get(m)) for m in range(1, 13)]} for plan in plans]
    return render(
        request,
        "execution/months.html",
        {"form": form, "existing": existing, "can_start": can_start, "rows": rows},
        status=400 if form.is_bound else 200,
    )


def _next_to_start() -> dict[str, int]:
    """The latest approved POA and its first month without a case that has begun: what is usually started next."""
    plan = approved_poas().first()
    if plan is None:
        return {}
    started = set(ExecutionMonth.objects.filter(plan=plan, case__isnull=False).values_list("month", flat=True))
    begun = [m for m in range(1, 13) if (plan.start_year, m) <= current_month() and m not in started]
    return {"plan": plan.pk, "month": begun[0] if begun else 1}


def _month(pk: int) -> ExecutionMonth:
    return get_object_or_404(
        ExecutionMonth.objects.select_related("plan", "case", "registered_by", "authorized_by", "approved_by"),
        pk=pk,
    )


# The decisions on a month, the role that takes each and the step of the P6 case that takes it there.
DECISIONS = {
    "registrar": Role.PROFESIONAL_PLANES_PROGRAMAS,
    "autorizar": Role.JEFE_PLANES_PROGRAMAS,
    "aprobar": Role.SUBDIRECTOR_PLANIFICACION,
}
DECISION_STEPS = {"registrar": 4, "autorizar": 5, "aprobar": 6}
REASONED = {"devolver": (SendBackForm, "send_back_form"), "reabrir": (ReopenForm, "reopen_form")}


def _page_may(month: ExecutionMonth, action: str) -> bool:
    """Whether the month's page takes the decision: when no open case of the month is still before (or at) the
    step that takes it — a month without a case, or sent back or reopened after its case passed that step."""
    if month.case_id is None:
        return True
    ready = CaseTask.objects.filter(case_id=month.case_id, status=TaskStatus.READY).values_list("number", flat=True)
    steps = [int(number) for number in ready if number.isdigit()]
    return not steps or min(steps) > DECISION_STEPS[action]


def decisions_of(month: ExecutionMonth) -> list[dict[str, Any]]:
    """What was decided on the month, by whom and when, with the reason of a return or a reopening (registered,
    authorized, sent back, approved, reopened), from the audit trail, the earliest first."""
    events = (
        AuditEvent.objects.filter(
            object_type=object_type_of(month), object_id=str(month.pk), action__in=DECISION_ACTIONS
        )
        .select_related("actor")
        .order_by("seq")
    )
    return [
        {
            "label": action_label(event.action),
            "who": event.actor_name,
            "when": event.occurred_at,
            "reason": (event.after or {}).get("reason", "") if isinstance(event.after, dict) else "",
        }
        for event in events
    ]


DECISION_ACTIONS = (
    "execution_registered",
    "execution_authorized",
    "execution_sent_back",
    "execution_approved",
    "execution_reopened",
)


def _may_edit(request: SignedInRequest) -> bool:
    return bool(request.user.role_slugs() & EDITOR_ROLES)


def _filters(request: SignedInRequest) -> dict[str, str]:
    return {key: params.text(request.GET, key, 20) for key in ("area", "subproducto")}


def _lines_page(
    request: SignedInRequest,
    month: ExecutionMonth,
    lines: dict[Line, LineFigures],
    names: dict[Line, breakdown.LineNames],
    typed: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The month's lines under the filters, one page of them, with what was typed and each field's error."""
    filters = _filters(request)
    shown = [
        key
        for key in lines
        if (not filters["area"] or names[key].area[0] == filters["area"])
        and (not filters["subproducto"] or names[key].subproduct[0] == filters["subproducto"])
    ]
    shown.sort(key=lambda key: (names[key].subproduct[0], names[key].center[0]))
    paginator = Paginator(shown, LINES_PER_PAGE)
    page = paginator.get_page(request.GET.get("pagina"))
    rows_by_line = {
        (row.subproduct_id, row.cost_center_id): row
        for row in ExecutedGoal.objects.filter(
            plan=month.plan,
            year=month.year,
            subproduct_id__in={s for s, _c in page},
            cost_center_id__in={c for _s, c in page},
        )
    }
    causes = months.causes_of(month)
    limit = tolerance()
    typed, errors = typed or {}, errors or {}
    entries = []
    for key in page:
        figures, field = lines[key], f"e-{key[0]}-{key[1]}"
        row = rows_by_line.get(key)
        entries.append(
            {
                "key": key,
                "field": field,
                "cause_field": f"c-{key[0]}-{key[1]}",
                "names": names[key],
                "figures": figures,
                "beyond": figures.beyond(limit),
                "source": Source(row.source(month.month)).label if row and row.source(month.month) else "",
                "typed": typed.get(field, "" if figures.executed is None else str(figures.executed)),
                "error": errors.get(field, ""),
                "cause": typed.get(f"c-{key[0]}-{key[1]}", causes.get(key, "")),
                "cause_error": errors.get(f"c-{key[0]}-{key[1]}", ""),
            }
        )
    areas = sorted({names[key].area for key in lines})
    subproducts = sorted({names[key].subproduct for key in lines})
    return {"entries": entries, "page": page, "filters": filters, "areas": areas, "subproducts": subproducts}


def _month_context(
    request: SignedInRequest,
    month: ExecutionMonth,
    typed: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The month's page; after a refused save, its lines with what was typed and each field's error."""
    scope = request_unit_scope(request)
    allowed = None if scope is None else set(scoped_cost_centers(request).values_list("pk", flat=True))
    by_month = {
        number: {k: v for k, v in found.items() if allowed is None or k[1] in allowed}
        for number, found in lines_by_month(month.plan, range(1, month.month + 1)).items()
    }  # goals and executed values read once for the month and the year to date
    lines, ytd = by_month[month.month], summed(by_month)
    names = breakdown.names_of(lines.keys() | ytd.keys())
    level = params.choice(request.GET, "por", breakdown.LEVELS, breakdown.SUBPRODUCT)
    limit = tolerance()
    revisions = list(
        month.revisions.select_related("approved_by", "registered_by", "authorized_by").order_by("-revision")
    )
    shown = Comprobante.objects.filter(revision__in=revisions).select_related("org_unit").order_by("number")
    scope = request_unit_scope(request)
    if scope is not None:  # an area liaison: the comprobantes of their area
        shown = shown.filter(org_unit_id__in=scope)
    made: dict[int, list[Comprobante]] = {}
    for comprobante in shown:
        made.setdefault(comprobante.revision_id, []).append(comprobante)
    is_editor = _may_edit(request)
    slugs = request.user.role_slugs()
    page_may = {action: _page_may(month, action) for action in DECISIONS}
    return {
        "month": month,
        "month_label": month_case.month_name(month),
        "tolerance": limit,
        "level": level,
        "levels": [(key, breakdown.LEVEL_LABELS[key]) for key in breakdown.LEVELS],
        "month_groups": breakdown.grouped(lines, names, level, limit),
        "ytd_groups": breakdown.grouped(ytd, names, level, limit),
        "needing_cause": len(months.needing_cause(month, lines)),
        "missing": sum(1 for f in lines.values() if f.executed is None),
        "revisions": [(revision, made.get(revision.pk, [])) for revision in revisions],
        "preparing": bool(revisions) and not comprobantes.complete(revisions[0]),
        "reopenings": list(month.reopenings.select_related("reopened_by").order_by("-pk")),
        "decisions": decisions_of(month),
        "returned": returned.last_return(month),
        "waiting_statistics": _waiting_statistics(month),
        "can_edit": is_editor and month.status == MonthStatus.OPEN,
        "can_write_causes": is_editor and month.status in (MonthStatus.OPEN, MonthStatus.REGISTERED),
        "driven_by_case": not all(page_may.values()),
        "can_register": page_may["registrar"] and DECISIONS["registrar"] in slugs and month.status == MonthStatus.OPEN,
        "can_authorize": page_may["autorizar"]
        and DECISIONS["autorizar"] in slugs
        and month.status == MonthStatus.REGISTERED,
        "can_approve": page_may["aprobar"] and DECISIONS["aprobar"] in slugs and month.status == MonthStatus.AUTHORIZED,
        "can_send_back": months.SENDS_BACK.get(MonthStatus(month.status)) in slugs,
        "send_back_form": SendBackForm(),
        "can_reopen": Role.SUBDIRECTOR_PLANIFICACION in slugs and month.status == MonthStatus.APPROVED,
        "reopen_form": ReopenForm(),
        "scoped": scope is not None,
        **_lines_page(request, month, lines, names, typed, errors),
    }


def _waiting_statistics(month: ExecutionMonth) -> dict[str, Any] | None:
    """The month's request for its statistics while Estadística has not answered it (step 1 of its case), with the
    day they can be loaded from (the month must have ended)."""
    if month.case is None or month.status != MonthStatus.OPEN:
        return None
    request = step_requests.last_request(month.case, p6_case.REQUEST, p6_case.STATISTICS_REQUEST)
    if request is None or request.status != StepRequestStatus.OPEN:
        return None
    ends = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return {"request": request, "from": ends if (month.year, month.month) >= current_month() else None}


def month_page(request: SignedInRequest, pk: int) -> HttpResponse:
    month = _month(pk)
    return render(request, "execution/month.html", _month_context(request, month))


def history_page(request: SignedInRequest, pk: int) -> HttpResponse:
    """The history of the month's executed values: each change with its source, who, when, the statistics batch it
    came from and the note of a correction, the latest first (of one line with ?linea=<subproduct>-<center>)."""
    month = _month(pk)
    changes = (
        ExecutionChange.objects.filter(row__plan=month.plan, row__year=month.year, month=month.month)
        .select_related("row__subproduct", "row__cost_center", "changed_by")
        .order_by("-pk")
    )
    if request_unit_scope(request) is not None:
        changes = changes.filter(row__cost_center__in=scoped_cost_centers(request))
    line = request.GET.get("linea", "")
    key = LINE_FIELD.fullmatch("e-" + line)
    if key is not None:
        changes = changes.filter(row__subproduct_id=int(key[1]), row__cost_center_id=int(key[2]))
    else:
        line = ""
    page = Paginator(changes, LINES_PER_PAGE).get_page(request.GET.get("pagina"))
    centers = None
    if request_unit_scope(request) is not None:
        centers = set(scoped_cost_centers(request).values_list("pk", flat=True))
    chosen = (int(key[1]), int(key[2])) if key is not None else None
    return render(
        request,
        "execution/history.html",
        {
            "month": month,
            "month_label": month_case.month_name(month),
            "page": page,
            "line": line,
            "causes": cause_changes(month, chosen, centers),
        },
    )


def cause_changes(month: ExecutionMonth, line: Line | None, centers: set[int] | None) -> list[dict[str, Any]]:
    """Each cause of deviation written, rewritten or removed on the month (of `line`; of the cost centers
    `centers`, when given), from the audit trail, the latest first, with the line's codes."""
    events = AuditEvent.objects.filter(
        object_type=object_type_of(month),
        object_id=str(month.pk),
        action__in=("execution_cause_written", "execution_cause_removed"),
    ).select_related("actor")
    found: list[dict[str, Any]] = []
    for event in events.order_by("-seq")[:500]:
        removed = event.action == "execution_cause_removed"
        data = (event.before if removed else event.after) or {}
        if not isinstance(data, dict) or "subproduct" not in data:
            continue
        key = (int(data["subproduct"]), int(data["cost_center"]))
        if (line is not None and key != line) or (centers is not None and key[1] not in centers):
            continue
        before = event.before if isinstance(event.before, dict) else {}
        found.append(
            {
                "key": key,
                "when": event.occurred_at,
                "who": event.actor_name,
                "before": "" if removed else str(before.get("text", "")),
                "after": "" if removed else str(data.get("text", "")),
                "removed_text": str(data.get("text", "")) if removed else "",
            }
        )
    names = breakdown.names_of({f["key"] for f in found})
    for change in found:
        change["names"] = names[change["key"]]
    return found


def _back(month: ExecutionMonth, request: SignedInRequest) -> HttpResponse:
    """Back to the month's page, on the page of lines and with the filters the form was posted from."""
    query = urlencode(
        {k: request.GET.get(k, "")[:20] for k in ("por", "area", "subproducto", "pagina") if k in request.GET}
    )
    return redirect(reverse("execution:month", args=[month.pk]) + (f"?{query}" if query else ""))


@require_POST
def save_month(request: SignedInRequest, pk: int) -> HttpResponse:
    """The values and causes typed on a page of the month's lines: checked all together, written all or none."""
    month = _month(pk)
    if not _may_edit(request):
        raise PermissionDenied
    lines = lines_by_month(month.plan, [month.month])[month.month]
    typed = {k: request.POST.get(k, "") for k in request.POST if k.startswith(("e-", "c-"))}
    errors: dict[str, str] = {}
    values: dict[tuple[int, int, int], int | None] = {}
    causes: dict[Line, str] = {}
    corrected = False
    for field, raw in typed.items():
        key = LINE_FIELD.fullmatch(field)
        if key is None or (int(key[1]), int(key[2])) not in lines:
            continue  # a field of no line of the month (the page names them all)
        s, c = int(key[1]), int(key[2])
        if field.startswith("c-"):
            if len(raw.strip()) > months.CAUSE_LENGTH:
                errors[field] = months.cause_too_long(len(raw.strip()))
            causes[(s, c)] = raw
            continue
        try:
            value = parse_integer(raw, GOAL_BOUNDS)
        except NumberError as error:
            errors[field] = str(error)
            continue
        if value != lines[(s, c)].executed:
            values[(s, c, month.month)] = value
            corrected = corrected or lines[(s, c)].executed is not None
    note = request.POST.get("nota", "").strip()
    causes_only = month.status == MonthStatus.REGISTERED and not values  # a registered month takes causes still
    if month.status != MonthStatus.OPEN and not causes_only:  # a page left open while the month moved on
        errors["__all__"] = _closed_notice(month)
    elif len(note) > NOTE_LENGTH:
        errors["nota"] = _("La nota admite a lo sumo %(max)s caracteres; tiene %(n)s.") % {
            "max": NOTE_LENGTH,
            "n": f"{len(note):,}",
        }
    elif corrected and not note:
        errors["nota"] = _("Escriba una nota: dice por qué se corrige un valor que ya estaba registrado.")
    written = 0
    if not errors:
        try:
            with transaction.atomic():
                if values:
                    written = write(month.plan, values, source=Source.TYPED, actor=request.user, note=note).changed
                stored = months.causes_of(month)
                for line, text in causes.items():
                    if text.strip() != stored.get(line, "").strip() and (text.strip() or line in stored):
                        months.write_cause(month, line, text, actor=request.user)
                        written += 1
        except ExecutionError as error:
            errors["__all__"] = error_text(error)
    if errors:
        context = _month_context(request, month, typed, errors)
        context |= {"errors": errors, "note": note, "form_error": errors.get("__all__") or errors.get("nota")}
        return render(request, "execution/month.html", context, status=400)
    messages.success(
        request,
        ngettext("%(n)s cambio guardado.", "%(n)s cambios guardados.", written) % {"n": written}
        if written
        else _("No había cambios que guardar."),
    )
    return _back(month, request)


@require_POST
def prefill_month(request: SignedInRequest, pk: int) -> HttpResponse:
    month = _month(pk)
    if not _may_edit(request):
        raise PermissionDenied
    try:
        written = prefill.prefill(month.plan, month.month, actor=request.user)
    except ExecutionError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            ngettext(
                "%(n)s valor tomado de las estadísticas del mes.",
                "%(n)s valores tomados de las estadísticas del mes.",
                written.changed,
            )
            % {"n": written.changed},
        )
    return _back(month, request)


def export_month(request: SignedInRequest, pk: int) -> HttpResponse:
    month = _month(pk)
    scope = request_unit_scope(request)
    unit = None
    if scope is not None:
        unit = OrgUnit.objects.filter(pk__in=scope).order_by("code").first()
        if unit is None:
            raise PermissionDenied
    data = excel.export_month(month.plan, month.month, org_unit=unit)
    suffix = f"-{unit.code}" if unit else ""
    return xlsx_download(data, f"ejecucion-{month.plan.code}-{month.month:02d}{suffix}.xlsx")


def import_month(request: SignedInRequest, pk: int) -> HttpResponse:
    month = _month(pk)
    if not _may_edit(request):
        raise PermissionDenied
    back = reverse("execution:month", args=[month.pk])
    if month.status != MonthStatus.OPEN:  # said before the file is chosen, not after it is sent
        messages.error(request, _closed_notice(month))
        return redirect(back)

    def importer(data: bytes, user: Any, name: str) -> str:
        try:
            imported = excel.import_month(data, actor=user, filename=name, expected=(month.plan, month.month))
        except ExecutionError as error:
            raise file_refused(error_text(error)) from error
        return excel.summary(imported)

    return spreadsheet_import(
        request,
        importer=importer,
        title=_("Importar la ejecución de %(month)s, %(plan)s")
        % {"month": month_case.month_name(month), "plan": month.plan.code},
        template_url=reverse("execution:export", args=[month.pk]),
        back_url=back,
        help_text=_(
            "Escriba lo ejecutado en la columna «Ejecutada» y, donde una línea se desvía más de la tolerancia, su "
            "causa en «Causa de la desviación». Una celda vacía deja el valor o la causa como están."
        ),
    )


def _closed_notice(month: ExecutionMonth) -> str:
    """Why a month's figures cannot be imported now, and who can open them again."""
    name = capfirst(month_case.month_name(month))
    if month.status == MonthStatus.APPROVED:
        return _(
            "%(month)s está aprobado: sus cifras no cambian. Solo la Subdirección de Planificación puede reabrirlo, "
            "con un motivo."
        ) % {"month": name}
    return _(
        "%(month)s está %(status)s: sus cifras no cambian. Para corregirlas, quien lo revisa lo devuelve con un motivo."
    ) % {"month": name, "status": str(month.get_status_display()).lower()}


@require_POST
def decide(request: SignedInRequest, pk: int, action: str) -> HttpResponse:
    """Register, authorize or approve a month where its case does not (a month sent back or reopened after its case
    passed the step); send back a registered or authorized month, or reopen an approved one, with a reason."""
    month = _month(pk)
    slugs = request.user.role_slugs()
    if action not in REASONED and (action not in DECISIONS or DECISIONS[action] not in slugs):
        raise PermissionDenied
    if action in DECISIONS and not _page_may(month, action):
        messages.error(request, _("Este mes avanza en su expediente P6: complete allí el paso que corresponde."))
        return _back(month, request)
    try:
        if action == "registrar":
            months.register(month, actor=request.user)
            done = _("Mes registrado.")
        elif action == "autorizar":
            months.authorize(month, actor=request.user)
            done = _("Mes autorizado.")
        elif action == "aprobar":
            with transaction.atomic():
                schedule_comprobantes(months.approve(month, actor=request.user), actor=request.user)
            done = _("Mes aprobado y bloqueado; sus comprobantes se están generando.")
        else:
            form_class, field = REASONED[action]
            form = form_class(request.POST)
            if not form.is_valid():
                context = _month_context(request, month) | {field: form}
                return render(request, "execution/month.html", context, status=400)
            if action == "devolver":
                months.send_back(month, reason=form.cleaned_data["reason"], actor=request.user)
                done = _("Mes devuelto para corregir: está abierto de nuevo.")
            else:
                months.reopen(month, reason=form.cleaned_data["reason"], actor=request.user)
                done = _("Mes reabierto como una nueva revisión; la aprobada sigue legible.")
    except (ExecutionError, JobLimitReached) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, done)
    return _back(month, request)


def verify_page(request: SignedInRequest) -> HttpResponse:
    """The verification of a comprobante from the number printed on it."""
    number = request.GET.get("numero", "").strip()[:40]
    found = None
    result = None
    if number:
        found = (
            Comprobante.objects.select_related(
                "document", "org_unit", "revision__execution_month__plan", "revision__approved_by"
            )
            .filter(number__iexact=number)
            .first()
        )
        if found is not None:
            result = verify(found.revision, area_id=found.org_unit_id)
    return render(
        request,
        "execution/verify.html",
        {"number": number, "comprobante": found, "result": result, "can_open": found and may_open(request, found)},
        status=404 if number and found is None else 200,
    )


def may_open(request: SignedInRequest, comprobante: Comprobante) -> bool:
    """An area liaison opens the comprobantes of their area; the rest of the staff, every one."""
    scope = request_unit_scope(request)
    return scope is None or comprobante.org_unit_id in scope


def comprobante_file(request: SignedInRequest, number: str) -> FileResponse:
    found = get_object_or_404(Comprobante.objects.select_related("document"), number=number[:40])
    if not may_open(request, found):
        raise PermissionDenied
    return document_response(request, found.document)


def _scoped_codes(request: SignedInRequest) -> list[str] | None:
    """The codes of the cost centers an area liaison reads (None: every center)."""
    if request_unit_scope(request) is None:
        return None
    return sorted(scoped_cost_centers(request).values_list("code", flat=True))


def _report_form(request: SignedInRequest, data: Any) -> tuple[ReportForm, four_monthly.FourMonthlyReport | None]:
    """The report chosen in `data` (when nothing is chosen, the latest approved POA's cuatrimestre of its latest
    approved month), of the person's area for an area liaison."""
    form = ReportForm(data or None)
    if not data:
        plan = approved_poas().first()
        latest = (
            ExecutionMonth.objects.filter(plan=plan, status=MonthStatus.APPROVED).order_by("-month").first()
            if plan
            else None
        )
        form = ReportForm(
            {"poa": plan.pk if plan else "", "periodo": periods.cuatrimestre(latest.month) if latest else 1}
        )
    if form.is_valid():
        plan, period, centers = form.cleaned_data["poa"], form.cleaned_data["periodo"], _scoped_codes(request)
        found = remembered("report", (plan.pk, period, centers), lambda: four_monthly.report(plan, period, centers))
        return form, found
    return form, None


def report_page(request: SignedInRequest) -> HttpResponse:
    form, report = _report_form(request, request.GET)
    return render(
        request,
        "execution/report.html",
        {
            "form": form,
            "report": report,
            "period": report_files.period_label(report) if report else "",
            "coverage": report_files.coverage(report) if report else "",
            "query": request.GET.urlencode(),
            "scoped": request_unit_scope(request) is not None,
            "fragment": stamp("report-page", (request.GET.urlencode(), _scoped_codes(request))),
        },
        status=400 if request.GET and report is None else 200,
    )


def report_xlsx(request: SignedInRequest) -> HttpResponse:
    _form, report = _report_form(request, request.GET)
    if report is None:
        return report_page(request)
    return xlsx_download(report_files.to_xlsx(report), f"{report_files.file_stem(report)}.xlsx")


@require_POST
def report_pdf(request: SignedInRequest) -> HttpResponse:
    """The report in PDF, made by a background job; the person opens it from the job page."""
    form, report = _report_form(request, request.POST)
    if report is None:
        messages.error(request, _("Elija un POA aprobado y un período de la lista."))
        return redirect("execution:report")
    plan = form.cleaned_data["poa"]
    return started(
        request,
        task=tasks.four_monthly_pdf_job,
        kind="p6_report",
        title=_("Informe de ejecución física · %(plan)s · %(period)s")
        % {"plan": plan.code, "period": report_files.period_label(report)},
        actor=request.user,
        next_url=reverse("execution:report") + f"?poa={plan.pk}&periodo={report.period}",
        reuse_open=True,
        plan_id=plan.pk,
        period=report.period,
        centers=_scoped_codes(request),
    )


def dashboard_page(request: SignedInRequest) -> HttpResponse:
    plans = list(approved_poas()[:10])
    chosen = None
    poa = params.integer(request.GET, "poa", maximum=params.INT64)
    if poa is not None:
        chosen = next((plan for plan in plans if plan.pk == poa), None)
    chosen = chosen or (plans[0] if plans else None)
    if chosen is None:
        return render(request, "execution/dashboard.html", {"board": None, "plans": plans})
    through = params.integer(request.GET, "hasta", minimum=1, maximum=12)
    scope = request_unit_scope(request)
    centers = (
        None if scope is None else list(CostCenter.objects.filter(org_unit_id__in=scope).values_list("pk", flat=True))
    )
    path = dashboard.clean_path({k: request.GET.get(k, "") for k in request.GET})
    board = remembered(
        "dashboard",
        (chosen.pk, through, sorted(path.items()), centers),
        lambda: dashboard.dashboard(chosen, through=through, path=path, centers=centers),
    )
    base: dict[str, str | int] = {"poa": chosen.pk, "hasta": board.through, **board.path}
    crumbs = []
    for index, (label, code, name) in enumerate(board.crumbs):
        upto: dict[str, str | int] = {"poa": chosen.pk, "hasta": board.through}
        upto |= dict(list(board.path.items())[: index + 1])
        crumbs.append((label, code, name, urlencode(upto)))
    return render(
        request,
        "execution/dashboard.html",
        {
            "board": board,
            "plans": plans,
            "scoped": scope is not None,
            "thresholds": dashboard.thresholds(),
            "fragment": stamp("dashboard-page", (chosen.pk, through, sorted(path.items()), centers)),
            "base_query": urlencode(base),
            "top_query": urlencode({"poa": chosen.pk, "hasta": board.through}),
            "crumbs": crumbs,
            "drills": breakdown.next_level(board.level) is not None,
            "month_choices": [(m, periods.month_abbr(m)) for m in range(1, 13)],
        },
    )
