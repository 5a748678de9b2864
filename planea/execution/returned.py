"""A month sent back (from registered or authorized) or reopened (from approved) after its case passed the step that
decided it: the case does not go back (P6 has no return in the manual), so the month itself asks again, in the inbox
of whom it waits for — the profesional to register it again, the jefe to authorize it, the subdirector to approve it —
and its page says why it came back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from planea.audit.models import AuditEvent
from planea.audit.services import object_type_of
from planea.org.roles import Role
from planea.procedures import pending
from planea.procedures.models import CaseTask, TaskStatus

from .models import ExecutionMonth, MonthStatus
from .month_case import month_name

# The status a returned month waits in → the case's step that had decided it and who decides it again.
AGAIN = {
    MonthStatus.OPEN: ("4", Role.PROFESIONAL_PLANES_PROGRAMAS),
    MonthStatus.REGISTERED: ("5", Role.JEFE_PLANES_PROGRAMAS),
    MonthStatus.AUTHORIZED: ("6", Role.SUBDIRECTOR_PLANIFICACION),
}
RETURNS = ("execution_sent_back", "execution_reopened")


@dataclass(frozen=True)
class Return:
    """Why the month came back: sent back or reopened, by whom, when, with what reason."""

    reopened: bool
    who: str
    when: datetime
    reason: str


def last_return(month: ExecutionMonth) -> Return | None:
    """The month's latest return when it has not been approved since (what its page shows at the top)."""
    if month.status == MonthStatus.APPROVED:
        return None
    events = AuditEvent.objects.filter(object_type=object_type_of(month), object_id=str(month.pk))
    latest = events.filter(action__in=(*RETURNS, "execution_approved")).select_related("actor").order_by("-seq").first()
    if latest is None or latest.action not in RETURNS:
        return None
    after = latest.after if isinstance(latest.after, dict) else {}
    return Return(
        latest.action == "execution_reopened",
        latest.actor_name,
        latest.occurred_at,
        str(after.get("reason", "")),
    )


@pending.register
def months_to_decide_again(user: Any) -> list[pending.PendingItem]:
    """The returned months the person decides again: one query (a second only when there are some), none for
    someone who decides none of them."""
    slugs = user.role_slugs()
    statuses = [status for status, (_step, role) in AGAIN.items() if role in slugs]
    if not statuses:
        return []
    passed = Q()
    for status in statuses:  # the case passed the step that had decided it: only the month asks again
        step, _role = AGAIN[status]
        done = CaseTask.objects.filter(case=OuterRef("case"), number=step, status=TaskStatus.COMPLETED)
        passed |= Q(Exists(done), status=status)
    waiting = [
        (month, month.case)
        for month in ExecutionMonth.objects.filter(passed, case__isnull=False).select_related("plan", "case")
        if month.case is not None
    ]
    if not waiting:
        return []
    came_back: dict[str, tuple[str, datetime]] = {}  # month → its latest return: action, when
    events = AuditEvent.objects.filter(
        object_type=object_type_of(waiting[0][0]),
        object_id__in=[str(m.pk) for m, _c in waiting],
        action__in=RETURNS,
    )
    for object_id, action, when in events.order_by("seq").values_list("object_id", "action", "occurred_at"):
        came_back[object_id] = (action, when)
    asked = {
        MonthStatus.OPEN: _("Corregir y registrar de nuevo %(month)s, %(plan)s (devuelto)"),
        MonthStatus.REGISTERED: _("Autorizar de nuevo %(month)s, %(plan)s"),
        MonthStatus.AUTHORIZED: _("Aprobar de nuevo %(month)s, %(plan)s"),
    }
    reopened = _("Corregir y registrar de nuevo %(month)s, %(plan)s (reabierto)")

    def what(month: ExecutionMonth) -> str:
        last = came_back.get(str(month.pk))
        if month.status == MonthStatus.OPEN and last is not None and last[0] == "execution_reopened":
            return reopened
        return asked[MonthStatus(month.status)]

    return [
        pending.PendingItem(
            kind=_("Ejecución del mes"),
            reference=case.number,
            asked=what(month) % {"month": month_name(month), "plan": month.plan.code},
            url=reverse("execution:month", args=[month.pk]),
            arrived=came_back[str(month.pk)][1] if str(month.pk) in came_back else case.started_at,
        )
        for month, case in waiting
    ]
