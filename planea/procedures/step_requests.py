"""Requests a step sends to another role: when a step arrives, each request its definition declares for it
(`manual.Step.asks`: P5 step 2 and P6 step 1 ask Estadística for data) goes to that role's inbox as a task with
the case, what is asked and the due date; someone holding the role answers it with a note and optionally a file.
The asking step shows each request's state; `is_answered` tells the apps that wait for an answer (the P5 forecasts,
P6 step 2) whether it came. Each sending and each answer is one audit event in its transaction."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from planea.audit.services import record
from planea.core.workdays import add_working_days
from planea.documents.kinds import DocumentKind
from planea.documents.services import store_upload
from planea.org.models import Person

from . import notifications, pending
from .definitions import by_code
from .errors import ProcedureError
from .links import Link
from .manual import PROCEDURES, Ask
from .models import Case, CaseTask, StepRequest, StepRequestStatus
from .people import holds_role

MAX_ANSWER = 4000  # characters of an answer's note

# What helps answer a request of a given key, shown on its page (for "statistics": the statistics load page and how
# far they reach): apps above register a provider, as for links.py.
Aid = Callable[[StepRequest, Any], list[Link]]
AIDS: dict[str, list[Aid]] = {}


def register_aid(key: str) -> Callable[[Aid], Aid]:
    def register(aid: Aid) -> Aid:
        if aid not in AIDS.setdefault(key, []):
            AIDS[key].append(aid)
        return aid

    return register


def aids_for(request: StepRequest, user: Any) -> list[Link]:
    return [link for aid in AIDS.get(request.key, []) for link in aid(request, user)]


# Every role some step asks something of: who may have a request in their inbox.
ASKED_ROLES: frozenset[str] = frozenset(ask.role for p in PROCEDURES for step in p.steps for ask in step.asks)


def asks_of(code: str, number: str) -> tuple[Ask, ...]:
    """The requests step `number` of procedure `code` sends when it arrives (none for a step the manual lacks, as
    in a later version that renumbered its steps)."""
    try:
        return by_code(code).step(number).asks
    except (KeyError, StopIteration):
        return ()


def send(tasks: list[CaseTask], actor: Person | None) -> list[StepRequest]:
    """Send the requests the arrived (stored) steps declare: one per step run and request, audited. Runs inside the
    transaction that made the steps arrive; the holders of the role get an e-mail once it commits."""
    today = timezone.localdate()
    sent = []
    for task in tasks:
        for ask in asks_of(task.case.definition.code, task.number):
            due = task.due_date if ask.working_days is None else add_working_days(today, ask.working_days)
            request = StepRequest.objects.create(
                task=task, key=ask.key, role=ask.role, asked=ask.asked, due_date=due, created_at=timezone.now()
            )
            record(
                actor=actor,
                action="step_request_sent",
                instance=request,
                after={"case": task.case.number, "step": task.number, "role": ask.role, "due": due},
                summary=_("Solicitud del paso %(number)s de %(case)s enviada a %(role)s")
                % {"number": task.number, "case": task.case.number, "role": request.get_role_display()},
            )
            transaction.on_commit(partial(notifications.request_arrived, request))
            sent.append(request)
    return sent


def can_answer(request: StepRequest, person: Person) -> bool:
    """The request is still open and the person holds its role (within the case's unit for a unit-scoped role)."""
    return request.is_open and holds_role(person, request.role, request.task.case.org_unit)


def withdraw_open(case: Case, actor: Person | None) -> None:
    """The requests of a case that concluded and were never answered leave the inboxes: withdrawn, each audited
    (in the transaction of the step that concluded the case)."""
    for found in StepRequest.objects.select_for_update().filter(task__case=case, status=StepRequestStatus.OPEN):
        found.status = StepRequestStatus.WITHDRAWN
        found.save(update_fields=["status"])
        record(
            actor=actor,
            action="step_request_withdrawn",
            instance=found,
            after={"case": case.number, "step": found.task.number},
            summary=_("Solicitud del paso %(number)s de %(case)s retirada: el expediente concluyó")
            % {"number": found.task.number, "case": case.number},
        )


@transaction.atomic
def answer(request: StepRequest, *, actor: Person, note: str, upload: UploadedFile[bytes] | None = None) -> StepRequest:
    """Answer an open request with a note and optionally a file (checked by the caller with
    `core.uploads.check_upload`)."""
    current = StepRequest.objects.select_for_update().select_related("task__case__org_unit").get(pk=request.pk)
    if current.status == StepRequestStatus.WITHDRAWN:
        raise ProcedureError(_("El expediente concluyó sin esta respuesta: la solicitud fue retirada."))
    if not current.is_open:
        raise ProcedureError(_("Esta solicitud ya fue respondida."))
    if not holds_role(actor, current.role, current.task.case.org_unit):
        raise ProcedureError(
            _("Responde esta solicitud quien tiene el rol «%(role)s».") % {"role": current.get_role_display()}
        )
    note = note.strip()
    if not note:
        raise ProcedureError(_("Escriba la respuesta."))
    if len(note) > MAX_ANSWER:
        raise ProcedureError(
            _("La respuesta puede tener hasta %(max)s caracteres; la escrita tiene %(n)s.")
            % {"max": f"{MAX_ANSWER:,}", "n": f"{len(note):,}"}
        )
    case = current.task.case
    if upload is not None:
        current.document = store_upload(
            upload, kind=DocumentKind.DOCUMENTO, title=_("Respuesta a %(case)s") % {"case": case.number}, actor=actor
        )
    current.status = StepRequestStatus.ANSWERED
    current.answer, current.answered_by, current.answered_at = note, actor, timezone.now()
    current.save()
    record(
        actor=actor,
        action="step_request_answered",
        instance=current,
        after={"answer": note, "document": current.document_id},
        summary=_("Solicitud del paso %(number)s de %(case)s respondida")
        % {"number": current.task.number, "case": case.number},
    )
    return current


def requests_of(case: Case) -> list[StepRequest]:
    """The case's requests, in the order they were sent, with who answered them and their files."""
    return list(
        StepRequest.objects.filter(task__case=case)
        .select_related("task", "answered_by", "document")
        .order_by("created_at", "pk")
    )


def last_request(case: Case, number: str, key: str) -> StepRequest | None:
    """The last request `key` that step `number` of the case sent (None when it sent none), with who answered it."""
    sent = StepRequest.objects.filter(task__case=case, task__number=number, key=key)
    return sent.select_related("answered_by").order_by("-created_at", "-pk").first()


def is_answered(case: Case, number: str, key: str) -> bool:
    """Whether the last request `key` that step `number` of the case sent has been answered (False when it sent
    none): what a later step or app waits for (the statistics of P6 step 1 before step 2 goes on)."""
    last = last_request(case, number, key)
    return last is not None and last.status == StepRequestStatus.ANSWERED


def open_requests_for(person: Any) -> list[StepRequest]:
    """The open requests the person may answer, the most urgent first: none (and no query) unless they hold a role
    some step asks something of."""
    roles = person.role_slugs() & ASKED_ROLES
    if not roles:
        return []
    found = (
        StepRequest.objects.filter(status=StepRequestStatus.OPEN, role__in=sorted(roles))
        .select_related("task__case__org_unit")
        .order_by("due_date", "created_at", "pk")
    )
    return [r for r in found if holds_role(person, r.role, r.task.case.org_unit)]


@pending.register
def requests_to_answer(user: Any) -> list[pending.PendingItem]:
    """The inbox's tasks of the requests the person may answer: the case, what is asked, the due date."""
    return [
        pending.PendingItem(
            kind=_("Solicitud del paso %(number)s") % {"number": found.task.number},
            reference=found.task.case.number,
            asked=found.asked,
            url=reverse("procedures:step_request", args=[found.pk]),
            arrived=found.created_at,
            due=found.due_date,
        )
        for found in open_requests_for(user)
    ]
