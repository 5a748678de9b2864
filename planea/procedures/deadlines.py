"""On time / at risk / overdue, counted in working days against a step's due date; the notice of a step past it."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from planea.audit.services import record
from planea.core.workdays import working_days_between

from . import notifications
from .models import CaseTask, TaskStatus

LABELS = {
    "on_time": _("A tiempo"),
    "at_risk": _("En riesgo"),
    "overdue": _("Vencido"),
    "late": _("Completado con atraso"),
}
BADGES = {
    "on_time": "text-bg-success",
    "at_risk": "text-bg-warning",
    "overdue": "text-bg-danger",
    "late": "text-bg-secondary",
}


def timeliness(task: CaseTask, today: date | None = None) -> str:
    if task.status == TaskStatus.COMPLETED and task.completed_at:
        return "on_time" if timezone.localtime(task.completed_at).date() <= task.due_date else "late"
    return pending_timeliness(task.due_date, today or timezone.localdate())


def pending_timeliness(due_date: date, today: date) -> str:
    """A step still pending: overdue, at risk (due within the configured working days) or on time."""
    if today > due_date:
        return "overdue"
    if working_days_between(today, due_date) <= settings.PLANEA_AT_RISK_WORKING_DAYS:
        return "at_risk"
    return "on_time"


def timeliness_badge(task: CaseTask, today: date | None = None) -> dict[str, Any]:
    """The state of a step with its Spanish label and badge class, as the inbox and the case page show it."""
    state = timeliness(task, today)
    return {"state": state, "state_label": LABELS[state], "badge": BADGES[state]}


@transaction.atomic
def notify_overdue(today: date | None = None) -> int:
    """Send one overdue notice per ready step past its due date; returns how many were sent."""
    today = today or timezone.localdate()
    sent = 0
    for task in (
        CaseTask.objects.select_for_update(of=("self",))
        .filter(status=TaskStatus.READY, due_date__lt=today, overdue_notified=False)
        .select_related("case__org_unit", "assignee")
    ):
        task.overdue_notified = True
        task.save(update_fields=["overdue_notified"])
        record(actor=None, action="task_overdue_notified", instance=task, after={"due": task.due_date})
        transaction.on_commit(partial(notifications.task_overdue, task))
        sent += 1
    return sent
