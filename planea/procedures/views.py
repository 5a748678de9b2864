"""Screens of the procedures: register, procedure sheet and versions, cases, case page and step actions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from planea.core import params
from planea.core.errors import error_text, form_error_text
from planea.core.numbers import NumberError, parse_integer
from planea.documents.kinds import OFICIO_KINDS, DocumentKind
from planea.documents.responses import SANDBOX, document_response
from planea.documents.services import OficioContent
from planea.org.access import SignedInRequest, request_unit_scope, require_unit
from planea.org.roles import Role

from .assignment import assign, claim, release
from .attachments import attach_oficio, attach_upload
from .bpmn_reader import DefinitionError
from .cases import complete, return_loops, start_case
from .deadlines import timeliness_badge
from .errors import ProcedureError
from .forms import AssignForm, AttachForm, CompleteForm, OficioForm, StartCaseForm, VersionUploadForm
from .indicators import indicators_for_year
from .links import links_for
from .models import Case, CaseStatus, CaseTask, Definition, StepDocument, TaskStatus
from .people import can_assign, can_work_on, holders, holds_role
from .step_checks import checks_for
from .versions import DUE_DAYS_BOUNDS, current_definition, latest_definitions, set_due_days, upload_version

USE_LABELS = {
    "produce": gettext_lazy("lo produce este paso: cárguelo o emítalo"),
    "receive": gettext_lazy("se recibe: cargue la copia"),
    "reference": gettext_lazy("de consulta"),
}


def can_start(user: Any, definition: Definition) -> bool:
    role = definition.steps[0]["role"]
    return role in user.role_slugs()


def register(request: SignedInRequest) -> HttpResponse:
    year = timezone.localdate().year
    counts: dict[str, Mapping[str, Any]] = {
        row["definition__code"]: row
        for row in Case.objects.values("definition__code").annotate(
            open=Count("pk", filter=Q(status=CaseStatus.OPEN)),
            done=Count("pk", filter=Q(status=CaseStatus.COMPLETED, completed_at__year=year)),
        )
    }
    rows = [
        {
            "definition": d,
            "open": counts.get(d.code, {}).get("open", 0),
            "done": counts.get(d.code, {}).get("done", 0),
            "can_start": can_start(request.user, d),
        }
        for d in latest_definitions()
    ]
    return render(request, "procedures/register.html", {"rows": rows, "year": year})


def detail_context(request: SignedInRequest, code: str, version: int | None = None, **extra: Any) -> dict[str, Any]:
    versions = list(Definition.objects.filter(code=code).order_by("-version"))
    if not versions:
        raise Http404
    shown = next((v for v in versions if v.version == version), versions[0])
    steps = [
        {**s, "role_label": Role(s["role"]).label, "days": shown.due_days.get(s["number"], "")} for s in shown.steps
    ]
    return {
        "definition": shown,
        "steps": steps,
        "default_days": settings.PLANEA_STEP_WORKING_DAYS,
        "versions": versions,
        "upload_form": VersionUploadForm(),
        "can_start": can_start(request.user, versions[0]),
        "is_admin": Role.ADMINISTRADOR in request.user.role_slugs(),
        **extra,
    }


def procedure_detail(request: SignedInRequest, code: str) -> HttpResponse:
    return render(
        request, "procedures/detail.html", detail_context(request, code, params.integer(request.GET, "version"))
    )


def definition_xml(request: SignedInRequest, pk: int) -> HttpResponse:
    definition = get_object_or_404(Definition, pk=pk)
    response = HttpResponse(definition.bpmn_xml, content_type="application/xml; charset=utf-8")
    response["Content-Security-Policy"] = SANDBOX  # XML uploaded by a person: read by the viewer, never run
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="{definition.code}.v{definition.version}.bpmn"'
    return response


@require_POST
def version_upload(request: SignedInRequest, code: str) -> HttpResponse:
    form = VersionUploadForm(request.POST, request.FILES)
    problems: list[str] = []
    if form.is_valid():
        try:
            definition = upload_version(
                code=code, xml=form.cleaned_data["file"], actor=request.user, note=form.cleaned_data["note"]
            )
        except DefinitionError as exc:
            problems = exc.problems
        except ProcedureError as exc:
            problems = [error_text(exc)]
        else:
            messages.success(
                request,
                _(
                    "Se cargó la versión %(version)s. Los expedientes en trámite siguen en la versión con la que "
                    "iniciaron."
                )
                % {"version": definition.version},
            )
            return redirect("procedures:detail", code=code)
    context = detail_context(request, code, upload_form=form, upload_problems=problems)
    return render(request, "procedures/detail.html", context, status=400)


@require_POST
def due_days(request: SignedInRequest, pk: int) -> HttpResponse:
    definition = get_object_or_404(Definition, pk=pk)
    values: dict[str, int] = {}
    for step in definition.steps:
        try:
            days = parse_integer(request.POST.get(f"days_{step['number']}", ""), DUE_DAYS_BOUNDS)
        except NumberError:
            days = 0
        if days is None:
            continue
        if not days:
            messages.error(
                request,
                _("Paso %(number)s: el plazo debe ser un número entero de días hábiles entre 1 y 250.")
                % {"number": step["number"]},
            )
            return redirect(reverse("procedures:detail", args=[definition.code]) + f"?version={definition.version}")
        values[step["number"]] = days
    set_due_days(definition, values, request.user)
    messages.success(request, _("Plazos guardados; se aplican a los pasos que lleguen desde ahora."))
    return redirect(reverse("procedures:detail", args=[definition.code]) + f"?version={definition.version}")


def case_list(request: SignedInRequest) -> HttpResponse:
    cases = Case.objects.select_related("definition", "org_unit", "started_by").order_by("-started_at")
    scope = request_unit_scope(request)
    if scope is not None:
        cases = cases.filter(org_unit__in=scope)
    code, status = params.text(request.GET, "procedimiento"), params.choice(request.GET, "estado", CaseStatus.values)
    if code:
        cases = cases.filter(definition__code=code)
    if status:
        cases = cases.filter(status=status)
    current = {
        t.case_id: t
        for t in CaseTask.objects.filter(status=TaskStatus.READY, case__in=cases).select_related("assignee")
    }
    rows = [{"case": c, "task": current.get(c.pk)} for c in cases[:500]]
    return render(
        request,
        "procedures/case_list.html",
        {
            "rows": rows,
            "definitions": latest_definitions(),
            "code": code,
            "status": status,
            "statuses": CaseStatus.choices,
        },
    )


def case_start(request: SignedInRequest, code: str) -> HttpResponse:
    try:
        definition = current_definition(code)
    except ProcedureError as exc:
        raise Http404 from exc
    if not can_start(request.user, definition):
        messages.error(
            request,
            _("Inicia este procedimiento quien tiene el rol «%(role)s».")
            % {"role": Role(definition.steps[0]["role"]).label},
        )
        return redirect("procedures:detail", code=code)
    subject_label = definition.header.get("subject") or _("Se refiere a")
    form = StartCaseForm(request.POST or None, subject_label=subject_label)
    if request.method == "POST" and form.is_valid():
        try:
            case = start_case(
                code=code, title=form.cleaned_data["title"], subject=form.cleaned_data["subject"], actor=request.user
            )
        except ProcedureError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("Se inició el expediente %(number)s.") % {"number": case.number})
            return redirect("procedures:case", pk=case.pk)
    return render(request, "procedures/case_start.html", {"definition": definition, "form": form})


def visible_case(request: SignedInRequest, pk: int) -> Case:
    case = get_object_or_404(Case.objects.select_related("definition", "org_unit", "started_by"), pk=pk)
    require_unit(request, case.org_unit_id)
    return case


def complete_form(task: CaseTask, data: Any = None) -> CompleteForm:
    returns = task.case.definition.is_return_step(task.step)
    return CompleteForm(data, branches=task.branches, returns=returns, prefix=f"c{task.pk}")


def task_panel(request: SignedInRequest, task: CaseTask) -> dict[str, Any]:
    step = task.step
    attachments = list(task.attachments.select_related("document"))
    slots: list[dict[str, Any]] = []
    for doc in step["documents"]:
        slots.append(
            {
                **doc,
                "kind_label": DocumentKind(doc["kind"]).label,
                "use_label": USE_LABELS[doc["use"]],
                "attached": [a for a in attachments if a.slot == doc["name"]],
                "can_issue": doc["kind"] in OFICIO_KINDS and doc["use"] == "produce",
                "upload_form": AttachForm(initial={"slot": doc["name"]}, prefix=f"s{len(slots)}"),
                "oficio_form": OficioForm(initial={"slot": doc["name"]}, prefix=f"o{len(slots)}"),
            }
        )
    return {
        "task": task,
        "step": step,
        "slots": slots,
        **timeliness_badge(task),
        "can_work": can_work_on(request.user, task),
        "holds_role": holds_role(request.user, task.role, task.case.org_unit),
        "can_assign": can_assign(request.user),
        "assign_form": AssignForm(people=holders(task.role, task.case.org_unit), prefix=f"a{task.pk}"),
        "complete_form": complete_form(task),
        "checks": checks_for(task, request.user),
        "asks_observations": bool(step["branches"]) or task.case.definition.is_return_step(step),
    }


def _case_tasks(case: Case) -> list[CaseTask]:
    """The case's steps in the order they arrived, with who did them and their documents (the case's history)."""
    return list(
        case.tasks.select_related("completed_by", "assignee")
        .prefetch_related("attachments__document")
        .order_by("created_at", "pk")
    )


def _timeline(tasks: list[CaseTask]) -> list[dict[str, Any]]:
    return [{"task": t, **timeliness_badge(t)} for t in tasks]


def case_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    case = visible_case(request, pk)
    tasks = _case_tasks(case)
    panels = [task_panel(request, t) for t in tasks if t.status == TaskStatus.READY]
    timeline = _timeline(tasks)
    return render(
        request,
        "procedures/case_detail.html",
        {
            "case": case,
            "panels": panels,
            "timeline": timeline,
            "loops": return_loops(case, tasks),
            "current_ids": [t.task_id for t in tasks if t.status == TaskStatus.READY],
            "completed_ids": sorted({t.task_id for t in tasks if t.status == TaskStatus.COMPLETED}),
            "just_completed": params.text(request.GET, "completado", 10),
            "links": links_for(case, request.user),
        },
    )


def _task_of(request: SignedInRequest, pk: int) -> CaseTask:
    task = get_object_or_404(CaseTask.objects.select_related("case__definition", "case__org_unit"), pk=pk)
    require_unit(request, task.case.org_unit_id)
    return task


def _step_answer(request: SignedInRequest, task: CaseTask) -> HttpResponse:
    """What an action on a step answers, its message stored: the case page at the step; to HTMX, the step's panel
    alone, read again, with the message (the whole case page when the step is no longer pending)."""
    case_url = reverse("procedures:case", args=[task.case_id])
    if not request.htmx:
        return redirect(case_url + f"#paso-{task.pk}")
    task = _task_of(request, task.pk)
    if not task.is_ready:
        return HttpResponseClientRedirect(case_url)
    context = {"p": task_panel(request, task), "case": task.case, "panel_messages": True}
    panel = render_to_string("procedures/case_detail.html#step-panel", context, request=request)
    # The case's history below says what the panel now says (taken, released, a document added): swapped with it.
    history = {"case": task.case, "timeline": _timeline(_case_tasks(task.case)), "out_of_band": True}
    return HttpResponse(panel + render_to_string("procedures/case_detail.html#timeline", history, request=request))


def _done(request: SignedInRequest, task: CaseTask, message: str = "") -> HttpResponse:
    if message:
        messages.success(request, message)
    return _step_answer(request, task)


def _refused(request: SignedInRequest, task: CaseTask, error: Exception) -> HttpResponse:
    messages.error(request, error_text(error))
    return _step_answer(request, task)


def _form_refused(request: SignedInRequest, task: CaseTask, form: Any, default: str) -> HttpResponse:
    """Refuse a step's form with its errors, each after its field's label (a hidden field's alone), or `default`."""
    return _refused(request, task, ProcedureError(form_error_text(form) or default))


def _task_action(request: SignedInRequest, pk: int, operation: Any, message: str) -> HttpResponse:
    task = _task_of(request, pk)
    try:
        operation(task, request.user)
    except ProcedureError as exc:
        return _refused(request, task, exc)
    return _done(request, task, message % {"number": task.number})


@require_POST
def task_claim(request: SignedInRequest, pk: int) -> HttpResponse:
    return _task_action(request, pk, claim, _("Tomó el paso %(number)s."))


@require_POST
def task_release(request: SignedInRequest, pk: int) -> HttpResponse:
    return _task_action(request, pk, release, _("El paso %(number)s quedó disponible para su rol."))


@require_POST
def task_assign(request: SignedInRequest, pk: int) -> HttpResponse:
    task = _task_of(request, pk)
    form = AssignForm(request.POST, people=holders(task.role, task.case.org_unit), prefix=f"a{task.pk}")
    if not form.is_valid():
        return _refused(request, task, ProcedureError(_("Elija a una persona con el rol del paso.")))
    try:
        assign(task, form.cleaned_data["person"], request.user)
    except ProcedureError as exc:
        return _refused(request, task, exc)
    return _done(
        request,
        task,
        _("Paso %(number)s asignado a %(person)s.") % {"number": task.number, "person": form.cleaned_data["person"]},
    )


def _posted_slot(request: SignedInRequest) -> str:
    """The document slot a posted attach or oficio form names (its field is prefixed by the slot's form)."""
    return next((str(value) for key, value in request.POST.items() if key.endswith("-slot")), "")


def _slot_prefix(task: CaseTask, slot: str, letter: str) -> str:
    names = [doc["name"] for doc in task.step["documents"]]
    return f"{letter}{names.index(slot)}" if slot in names else letter


@require_POST
def task_attach(request: SignedInRequest, pk: int) -> HttpResponse:
    task = _task_of(request, pk)
    slot = _posted_slot(request)
    form = AttachForm(request.POST, request.FILES, prefix=_slot_prefix(task, slot, "s"))
    if not form.is_valid():
        return _form_refused(request, task, form, _("Elija un archivo."))
    try:
        document = attach_upload(
            task, slot=form.cleaned_data["slot"], upload=form.cleaned_data["file"], actor=request.user
        )
    except ProcedureError as exc:
        return _refused(request, task, exc)
    return _done(request, task, _("Documento «%(name)s» agregado.") % {"name": document.original_name})


@require_POST
def task_oficio(request: SignedInRequest, pk: int) -> HttpResponse:
    task = _task_of(request, pk)
    slot = _posted_slot(request)
    form = OficioForm(request.POST, prefix=_slot_prefix(task, slot, "o"))
    if not form.is_valid():
        return _form_refused(request, task, form, _("Revise el oficio."))
    data = form.cleaned_data
    try:
        document = attach_oficio(
            task,
            slot=data["slot"],
            content=OficioContent(data["addressee"], data["addressee_position"], data["subject"], data["body"]),
            actor=request.user,
        )
    except ProcedureError as exc:
        return _refused(request, task, exc)
    return _done(request, task, _("Se emitió el oficio %(number)s.") % {"number": document.number})


@require_POST
def task_complete(request: SignedInRequest, pk: int) -> HttpResponse:
    task = _task_of(request, pk)
    form = complete_form(task, request.POST)
    if not form.is_valid():
        return _form_refused(request, task, form, _("Elija el resultado de la decisión."))
    data = form.cleaned_data
    try:
        complete(
            task,
            actor=request.user,
            comment=data.get("comment", ""),
            decision=data.get("decision", ""),
            observations=data.get("observations", ""),
        )
    except ProcedureError as exc:
        return _refused(request, task, exc)
    return redirect(reverse("procedures:case", args=[task.case_id]) + "?completado=" + task.number)


def case_document(request: SignedInRequest, pk: int, document_pk: int) -> FileResponse:
    case = visible_case(request, pk)
    if document_pk > params.INT64:  # no such document; SQLite cannot even compare it
        raise Http404
    link = StepDocument.objects.filter(task__case=case, document_id=document_pk).select_related("document").first()
    if link is None:
        raise Http404
    return document_response(request, link.document)


def indicators(request: SignedInRequest) -> HttpResponse:
    this_year = timezone.localdate().year
    year = params.integer(request.GET, "anio", minimum=2000, maximum=2100) or this_year
    years = sorted({d.year for d in Case.objects.dates("started_at", "year")} | {this_year}, reverse=True)
    return render(
        request, "procedures/indicators.html", {"year": year, "years": years, "rows": indicators_for_year(year)}
    )
