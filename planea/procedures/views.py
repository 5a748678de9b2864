"""Screens of the procedures: register, procedure sheet and versions, cases, case page and step actions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
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
from planea.core.errors import add_refusal, error_text, form_error_text, mark_refused_form
from planea.core.numbers import NumberError, parse_integer
from planea.documents.kinds import OFICIO_KINDS, document_label, kind_note
from planea.documents.responses import SANDBOX, document_response
from planea.documents.services import OficioContent
from planea.org.access import SignedInRequest, require_unit
from planea.org.roles import Role

from .assignment import assign, claim, release
from .attachments import attach_oficio, attach_upload
from .bpmn_reader import DefinitionError
from .cases import complete, return_loops, start_case
from .concerns import owns_case, require_case, require_own_case, visible_cases
from .deadlines import timeliness_badge
from .errors import ProcedureError
from .forms import AssignForm, AttachForm, CompleteForm, OficioForm, StartCaseForm, VersionUploadForm
from .indicators import indicators_for_year
from .links import links_for
from .models import Case, CaseStatus, CaseTask, Definition, StepDocument, StepRequest, TaskStatus
from .oficio_drafts import draft_for
from .people import can_assign, can_work_on, holders, holds_role
from .sharing import require_shared, shared_case_ids
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
        {
            **s,
            "role_label": Role(s["role"]).label,
            "days": shown.due_days.get(s["number"], ""),
            "documents": [{**d, "label": document_label(d["name"])} for d in s["documents"]],
        }
        for s in shown.steps
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
    shared = shared_case_ids(request.user)
    if shared is not None and not Case.objects.filter(pk__in=shared, definition=definition).exists():
        raise PermissionDenied  # an outside reviewer reads the diagram of a case sent to them
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
    cases = visible_cases(request, cases)
    code, status = params.text(request.GET, "procedimiento"), params.choice(request.GET, "estado", CaseStatus.values)
    if code:
        cases = cases.filter(definition__code=code)
    if status:
        cases = cases.filter(status=status)
    overdue = params.choice(request.GET, "plazo", ["vencido"]) == "vencido"
    if overdue:  # a pending step past its due date
        late = CaseTask.objects.filter(status=TaskStatus.READY, due_date__lt=timezone.localdate())
        cases = cases.filter(pk__in=late.values("case_id"))
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
            "overdue": overdue,
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
    subject_label = _(definition.header["subject"]) if definition.header.get("subject") else _("Se refiere a")
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
    require_case(request, case)  # an area liaison: the cases of its units or that concern them
    require_shared(request.user, case.pk)  # an outside reviewer reads only what was sent to them
    return case


def complete_form(task: CaseTask, data: Any = None) -> CompleteForm:
    definition = task.case.definition
    return CompleteForm(
        data,
        branches=task.branches,
        returns=definition.is_return_step(task.step),
        sending_back=frozenset(b["value"] for b in task.branches if definition.sends_back(task.number, b["to"])),
        return_choices=definition.return_choices(task.step),
        prefix=f"c{task.pk}",
    )


def _return_steps(task: CaseTask) -> list[dict[str, Any]]:
    """What the decision's form says of each branch that goes through a return step: the step, its question and,
    when it goes back to one step only, which."""
    definition, shown = task.case.definition, []
    for branch in task.branches:
        back = definition.return_step(task.number, branch["to"])
        if back is not None:
            fixed = "" if back["branches"] else definition.return_choices(task.step)[branch["value"]][0][1]
            shown.append({"branch": branch, "step": back, "question": back["decision"], "fixed": fixed})
    return shown


def _shown(form: forms.BaseForm, posted: forms.BaseForm | None) -> forms.BaseForm:
    """The form to show on a step's panel: the one just posted and refused, with what was typed and its errors,
    in place of the same form empty (the same class and prefix)."""
    if posted is not None and type(posted) is type(form) and posted.prefix == form.prefix:
        return posted
    return form


def task_panel(
    request: SignedInRequest, task: CaseTask, posted: forms.BaseForm | None = None, refusal: str = ""
) -> dict[str, Any]:
    """What a step's panel shows; `posted` is a refused form shown again as it was posted, `refusal` the reason an
    action without fields (take, release) was refused."""
    step = task.step
    can_work = can_work_on(request.user, task)
    owns = owns_case(request, task.case)  # else the case only concerns the person's area: no documents, no figures
    if posted is not None and not can_work and not isinstance(posted, AssignForm):
        # the step's forms are not shown to this person (someone else took it meanwhile): the reason on top
        refusal = refusal or " ".join(str(e) for e in posted.non_field_errors()) or form_error_text(posted)
    attachments = list(task.attachments.select_related("document"))
    slots: list[dict[str, Any]] = []
    for doc in task.slots:
        number = len(slots)
        initial = {"slot": doc["name"], "copies": "\n".join(doc.get("copies", []))}  # the manual's «c.c.»
        if can_work and doc["kind"] in OFICIO_KINDS and doc["use"] == "produce":
            initial |= draft_for(task, doc["name"])
        oficio_form = _shown(OficioForm(initial=initial, prefix=f"o{number}"), posted)
        slots.append(
            {
                **doc,
                "label": document_label(doc["name"]),
                "kind_label": kind_note(doc["name"], doc["kind"]),
                "use_label": USE_LABELS[doc["use"]],
                "attached": [a for a in attachments if a.slot == doc["name"]],
                "can_issue": doc["kind"] in OFICIO_KINDS and doc["use"] == "produce",
                "upload_form": _shown(AttachForm(initial={"slot": doc["name"]}, prefix=f"s{number}"), posted),
                "oficio_form": oficio_form,
                "oficio_open": oficio_form.is_bound,
            }
        )
    return {
        "task": task,
        "step": step,
        "slots": slots,
        **timeliness_badge(task),
        "can_work": can_work,
        "holds_role": holds_role(request.user, task.role, task.case.org_unit),
        "can_assign": can_assign(request.user),
        "assign_form": _shown(AssignForm(people=holders(task.role, task.case.org_unit), prefix=f"a{task.pk}"), posted),
        "complete_form": _shown(complete_form(task), posted),
        "checks": checks_for(task, request.user) if owns else [],
        "asks_observations": bool(step["branches"]) or task.case.definition.is_return_step(step),
        "return_steps": _return_steps(task),
        "refusal": refusal,
        "owns_case": owns,
    }


def _case_tasks(case: Case) -> list[CaseTask]:
    """The case's steps in the order they arrived, with who did them and their documents (the case's history)."""
    return list(
        case.tasks.select_related("completed_by", "assignee")
        .prefetch_related("attachments__document")
        .order_by("created_at", "pk")
    )


def _timeline(tasks: list[CaseTask]) -> list[dict[str, Any]]:
    """The case's steps with their timeliness and the requests each sent to other roles (one query for all)."""
    sent: dict[int, list[StepRequest]] = {}
    for found in StepRequest.objects.filter(task__in=tasks).select_related("answered_by").order_by("created_at", "pk"):
        sent.setdefault(found.task_id, []).append(found)
    return [{"task": t, **timeliness_badge(t), "requests": sent.get(t.pk, [])} for t in tasks]


def case_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    return _case_page(request, visible_case(request, pk))


def _case_page(
    request: SignedInRequest,
    case: Case,
    refused: CaseTask | None = None,
    posted: forms.BaseForm | None = None,
    refusal: str = "",
) -> HttpResponse:
    """The case page; with `refused`, the step whose form was refused shows it again as posted (400)."""
    tasks = _case_tasks(case)
    if refused is not None and not any(t.pk == refused.pk and t.status == TaskStatus.READY for t in tasks):
        # the step is no longer pending (another person completed it meanwhile): the reason above the page
        messages.error(request, form_error_text(posted) if posted is not None else refusal)
    panels = [
        task_panel(request, t, posted, refusal)
        if refused is not None and t.pk == refused.pk
        else task_panel(request, t)
        for t in tasks
        if t.status == TaskStatus.READY
    ]
    return render(
        request,
        "procedures/case_detail.html",
        {
            "case": case,
            "panels": panels,
            "timeline": _timeline(tasks),
            "owns_case": owns_case(request, case),
            "loops": return_loops(case, tasks),
            "current_ids": [t.task_id for t in tasks if t.status == TaskStatus.READY],
            "completed_ids": sorted({t.task_id for t in tasks if t.status == TaskStatus.COMPLETED}),
            "just_completed": "" if refused else params.text(request.GET, "completado", 10),
            "links": links_for(case, request.user),
        },
        status=400 if refused is not None else 200,
    )


def _task_of(request: SignedInRequest, pk: int) -> CaseTask:
    task = get_object_or_404(CaseTask.objects.select_related("case__definition", "case__org_unit"), pk=pk)
    require_unit(request, task.case.org_unit_id)
    return task


def _step_answer(
    request: SignedInRequest, task: CaseTask, posted: forms.BaseForm | None = None, refusal: str = ""
) -> HttpResponse:
    """What an action on a step answers. Done, its message stored: the case page at the step; to HTMX, the step's
    panel alone, read again, with the message (the whole case page when the step is no longer pending).
    Refused (a form posted with errors, `posted`, or an action refused, `refusal`): the same page or panel with the
    form as it was posted, its errors next to its fields (400), so that nothing typed is lost."""
    case_url = reverse("procedures:case", args=[task.case_id])
    refused = posted is not None or bool(refusal)
    if not request.htmx:
        if refused:
            return _case_page(request, task.case, task, posted, refusal)
        return redirect(case_url + f"#paso-{task.pk}")
    task = _task_of(request, task.pk)
    if not task.is_ready:
        if refused:  # another person completed the step meanwhile: what was refused is told on the case page
            messages.error(request, form_error_text(posted) if posted is not None else refusal)
        return HttpResponseClientRedirect(case_url)
    context = {"p": task_panel(request, task, posted, refusal), "case": task.case, "panel_messages": True}
    panel = render_to_string("procedures/case_detail.html#step-panel", context, request=request)
    # The case's history below says what the panel now says (taken, released, a document added): swapped with it.
    history = {
        "case": task.case,
        "timeline": _timeline(_case_tasks(task.case)),
        "owns_case": owns_case(request, task.case),
        "out_of_band": True,
    }
    response = HttpResponse(
        panel + render_to_string("procedures/case_detail.html#timeline", history, request=request),
        status=400 if refused else 200,
    )
    if refused:
        mark_refused_form(response)
    return response


def _done(request: SignedInRequest, task: CaseTask, message: str = "") -> HttpResponse:
    if message:
        messages.success(request, message)
    return _step_answer(request, task)


def _refused(request: SignedInRequest, task: CaseTask, error: Exception) -> HttpResponse:
    """An action without fields (take, release) refused: the reason, at the top of the step's panel."""
    return _step_answer(request, task, refusal=error_text(error))


def _form_refused(
    request: SignedInRequest, task: CaseTask, form: forms.BaseForm, error: Exception | None = None
) -> HttpResponse:
    """A step's form refused, by its own checks or by the operation (`error`, shown on top of the form): shown
    again as it was posted, with its errors."""
    if error is not None:
        add_refusal(form, error)
    return _step_answer(request, task, posted=form)


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
        return _form_refused(request, task, form)
    try:
        assign(task, form.cleaned_data["person"], request.user)
    except ProcedureError as exc:
        return _form_refused(request, task, form, exc)
    return _done(
        request,
        task,
        _("Paso %(number)s asignado a %(person)s.") % {"number": task.number, "person": form.cleaned_data["person"]},
    )


def _posted_slot(request: SignedInRequest) -> str:
    """The document slot a posted attach or oficio form names (its field is prefixed by the slot's form)."""
    return next((str(value) for key, value in request.POST.items() if key.endswith("-slot")), "")


def _slot_prefix(task: CaseTask, slot: str, letter: str) -> str:
    names = [doc["name"] for doc in task.slots]
    return f"{letter}{names.index(slot)}" if slot in names else letter


@require_POST
def task_attach(request: SignedInRequest, pk: int) -> HttpResponse:
    task = _task_of(request, pk)
    slot = _posted_slot(request)
    form = AttachForm(request.POST, request.FILES, prefix=_slot_prefix(task, slot, "s"))
    if not form.is_valid():
        return _form_refused(request, task, form)
    try:
        document = attach_upload(
            task, slot=form.cleaned_data["slot"], upload=form.cleaned_data["file"], actor=request.user
        )
    except ProcedureError as exc:
        return _form_refused(request, task, form, exc)
    return _done(request, task, _("Documento «%(name)s» agregado.") % {"name": document.original_name})


@require_POST
def task_oficio(request: SignedInRequest, pk: int) -> HttpResponse:
    task = _task_of(request, pk)
    slot = _posted_slot(request)
    form = OficioForm(request.POST, prefix=_slot_prefix(task, slot, "o"))
    if not form.is_valid():
        return _form_refused(request, task, form)
    data = form.cleaned_data
    try:
        document = attach_oficio(
            task,
            slot=data["slot"],
            content=OficioContent(
                data["addressee"],
                data["addressee_position"],
                data["subject"],
                data["body"],
                closing=data["closing"],
                copies=data["copies"],
            ),
            actor=request.user,
        )
    except ProcedureError as exc:
        return _form_refused(request, task, form, exc)
    return _done(request, task, _("Se emitió el oficio %(number)s.") % {"number": document.number})


@require_POST
def task_complete(request: SignedInRequest, pk: int) -> HttpResponse:
    task = _task_of(request, pk)
    form = complete_form(task, request.POST)
    if not form.is_valid():
        return _form_refused(request, task, form)
    data = form.cleaned_data
    try:
        complete(
            task,
            actor=request.user,
            comment=data.get("comment", ""),
            decision=data.get("decision", ""),
            observations=data.get("observations", ""),
            return_to=data.get("return_to", ""),
        )
    except ProcedureError as exc:
        return _form_refused(request, task, form, exc)
    url = reverse("procedures:case", args=[task.case_id]) + "?completado=" + task.number
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def case_document(request: SignedInRequest, pk: int, document_pk: int) -> FileResponse:
    case = visible_case(request, pk)
    require_own_case(request, case)  # a case that only concerns the person's area: its documents are not theirs
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
