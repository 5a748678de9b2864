"""E-mail notices: a step reaches someone (assigned to them, or ready for everyone holding its role), a step asks a role
for something (a request to answer), and a step becomes overdue. Sent after the transaction commits; a mail failure
is logged and never undoes the step."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import CaseTask, StepRequest
from .people import holders

logger = logging.getLogger(__name__)
_muted: ContextVar[bool] = ContextVar("planea_notifications_muted", default=False)


@contextmanager
def muted() -> Iterator[None]:
    """No e-mail inside this block (used while the demo data is generated)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def recipients(task: CaseTask) -> list[str]:
    people = [task.assignee] if task.assignee else list(holders(task.role, task.case.org_unit))
    return sorted({person.email for person in people if person and person.email})


def _send(task: CaseTask, template: str, subject: str) -> None:
    if _muted.get():
        return
    try:
        to = recipients(task)
        if not to:
            return
        url = settings.PLANEA_BASE_URL + reverse("procedures:case", args=[task.case_id])
        with translation.override("es"):
            body = render_to_string(template, {"task": task, "case": task.case, "url": url})
        send_mail(subject, body, None, to)
    except Exception:  # a mail problem must never undo or block a step
        logger.exception("No se pudo enviar la notificación del paso %s", task.pk)


def task_arrived(task: CaseTask) -> None:
    _send(task, "procedures/mail/task_arrived.txt", f"[Planea] {task.case.number}: paso {task.number} pendiente")


def task_overdue(task: CaseTask) -> None:
    _send(task, "procedures/mail/task_overdue.txt", f"[Planea] {task.case.number}: paso {task.number} vencido")


def request_arrived(request: StepRequest) -> None:
    """A step asked the holders of a role for something (`step_requests.py`): the page where they answer it."""
    if _muted.get():
        return
    try:
        case = request.task.case
        to = sorted({p.email for p in holders(request.role, case.org_unit) if p.email})
        if not to:
            return
        url = settings.PLANEA_BASE_URL + reverse("procedures:step_request", args=[request.pk])
        with translation.override("es"):
            body = render_to_string(
                "procedures/mail/request_arrived.txt",
                {"request": request, "task": request.task, "case": case, "url": url},
            )
        send_mail(f"[Planea] {case.number}: solicitud del paso {request.task.number}", body, None, to)
    except Exception:  # a mail problem must never undo or block a step
        logger.exception("No se pudo enviar el aviso de la solicitud %s", request.pk)
