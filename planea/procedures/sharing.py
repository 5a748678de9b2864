"""What a role from outside the institution may read: the cases a step sent to it (`manual.Step.sends_to`: P1 step
9.2 sends the PEI to SEGEPLAN), once that step is done, read-only, with what they carry (the apps that hold a case's
data check `require_shared` on their pages), and nothing else. A person of the institution is not limited here (their
unit scope applies)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from planea.org.roles import EXTERNAL_ROLES

from . import pending
from .manual import PROCEDURES
from .models import Case, CaseStatus, CaseTask, TaskStatus

# (procedure code, step number) → the outside roles the step sends the case to.
SENDING_STEPS: dict[tuple[str, str], frozenset[str]] = {
    (p.code, step.number): frozenset(step.sends_to) for p in PROCEDURES for step in p.steps if step.sends_to
}


def is_external(user: Any) -> bool:
    """The person holds only roles from outside the institution."""
    slugs = user.role_slugs()
    return bool(slugs) and slugs <= EXTERNAL_ROLES


def shared_case_ids(user: Any) -> set[int] | None:
    """The cases sent to an outside person's roles (a step that sends to them done); None for a person of the
    institution. Read once per person instance (each request loads its own)."""
    if not is_external(user):
        return None
    cached: set[int] | None = getattr(user, "_shared_case_ids", None)
    if cached is None:
        slugs = user.role_slugs()
        sending = Q(pk__in=[])
        for (code, number), roles in SENDING_STEPS.items():
            if roles & slugs:
                sending |= Q(case__definition__code=code, number=number)
        tasks = CaseTask.objects.filter(sending, status=TaskStatus.COMPLETED)
        cached = set(tasks.values_list("case_id", flat=True))
        user._shared_case_ids = cached
    return cached


def may_read_case(user: Any, case_id: int | None) -> bool:
    shared = shared_case_ids(user)
    return shared is None or case_id in shared


def require_shared(user: Any, case_id: int | None) -> None:
    """PermissionDenied for an outside person unless the case (what a page shows belongs to) was sent to them."""
    if not may_read_case(user, case_id):
        raise PermissionDenied


@pending.register
def sent_for_review(user: Any) -> list[pending.PendingItem]:
    """An outside person's inbox: the open cases sent to them, with a link to read them."""
    shared = shared_case_ids(user)
    if not shared:
        return []
    numbers = {number for _code, number in SENDING_STEPS}
    sent: dict[int, datetime] = {}
    for case_id, when in CaseTask.objects.filter(
        case_id__in=shared, case__status=CaseStatus.OPEN, status=TaskStatus.COMPLETED, number__in=numbers
    ).values_list("case_id", "completed_at"):
        if when is not None:  # a completed step has its time
            sent[case_id] = max(when, sent.get(case_id, when))
    return [
        pending.PendingItem(
            kind=_("Remitido para su revisión"),
            reference=case.number,
            asked=case.title,
            url=reverse("procedures:case", args=[case.pk]),
            arrived=sent[case.pk],
        )
        for case in Case.objects.filter(pk__in=sent).order_by("number")
    ]
