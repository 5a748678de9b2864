"""The life of a record that a case carries to approval (a PEI version, a POA with its POM, a month's execution), in
the manual's words: draft (borrador) → in review (en revisión: sent to the Subdirección de Planificación) →
endorsed (visto bueno of the Subdirector) → presented (presentado a la Dirección General, which approves it with
the Autoridad Migratoria Nacional outside the procedure) → approved (aprobado), back to draft when the case returns
it before its presentation, and reopened after approval for a record that allows it. Only an approved record is
frozen (approval date stamped; afterwards it changes only as its app allows, e.g. by reprogramming); from review
to presentation it is not editable, and a return makes it a draft again. The case is linked to the record while
the record is editable. Each change is one audit event, written in the caller's transaction (the step's); a record
that a change would not move (already there, or in a status the change does not start from) is left as it is, so
a step finished twice moves it once. A draft may be approved directly only outside any case (fixtures, bench)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Final, Protocol, cast

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from planea.audit.services import record
from planea.org.models import Person

from .models import Case, CaseStatus

DRAFT: Final = "draft"
REVIEW: Final = "review"
ENDORSED: Final = "endorsed"
PRESENTED: Final = "presented"
APPROVED: Final = "approved"
REOPENED: Final = "reopened"

# The statuses each change starts from (an approved record goes back to work only by being reopened).
SOURCES: Final = {
    REVIEW: frozenset({DRAFT, REOPENED}),
    DRAFT: frozenset({REVIEW, ENDORSED}),  # returned by the reviewer, or after the visto bueno (P1's SEGEPLAN)
    ENDORSED: frozenset({REVIEW}),
    PRESENTED: frozenset({ENDORSED}),
    APPROVED: frozenset({DRAFT, PRESENTED, REOPENED}),  # never straight from review or the visto bueno
    REOPENED: frozenset({APPROVED}),
}


class CaseRecord(Protocol):
    """What a record carried by a case has: its status, its case and an approval date (`approved_at`); its str()
    names it in summaries and messages."""

    pk: Any
    status: str

    @property
    def case(self) -> Case | None: ...

    def refresh_from_db(self) -> None: ...


@dataclass(frozen=True)
class Event:
    """How a change is written in the audit log: its action and its summary, where %(plan)s names the record,
    %(case)s the case and %(obs)s the observations of a return or a reopening."""

    action: str
    summary: str | Promise


@dataclass(frozen=True)
class Lifecycle[R: CaseRecord]:
    """The lifecycle of one kind of record: how it is locked, the error it refuses with, and the audit event of
    each change (a record that is never reopened has no `reopened` event)."""

    model: type[models.Model]
    locked_editable: Callable[[int], R]  # the record by primary key, locked; the app's error unless it is editable
    error: type[ValidationError]
    linked: Event
    in_review: Event
    returned: Event
    endorsed: Event
    presented: Event
    approved: Event
    reopened: Event | None = None

    @transaction.atomic
    def link_case(self, item: R, case: Case, *, actor: Person) -> R:
        """Put the record in the case: refused unless it is editable and out of any case in process."""
        current = self.locked_editable(item.pk)
        if current.case is not None and current.case.status == CaseStatus.OPEN:
            raise self.error(
                _("%(plan)s ya está en el expediente %(case)s.") % {"plan": str(current), "case": current.case.number}
            )
        self.model._default_manager.filter(pk=current.pk).update(case=case)
        record(
            actor=actor,
            action=self.linked.action,
            instance=cast(models.Model, current),
            after={"case": case.number},
            summary=str(self.linked.summary) % {"plan": str(current), "case": case.number},
        )
        return current

    def send_to_review(self, items: Iterable[R], *, actor: Person | None) -> None:
        self._move(items, REVIEW, self.in_review, actor=actor)

    def return_to_draft(self, items: Iterable[R], *, actor: Person | None, observations: str) -> None:
        self._move(items, DRAFT, self.returned, actor=actor, observations=observations)

    def endorse(self, items: Iterable[R], *, actor: Person | None) -> None:
        self._move(items, ENDORSED, self.endorsed, actor=actor)

    def present(self, items: Iterable[R], *, actor: Person | None) -> None:
        self._move(items, PRESENTED, self.presented, actor=actor)

    def approve(self, items: Iterable[R], *, actor: Person | None) -> None:
        self._move(items, APPROVED, self.approved, actor=actor)

    def reopen(self, items: Iterable[R], *, actor: Person | None, observations: str) -> None:
        if self.reopened is None:
            raise ValueError(f"{self.model.__name__} has no reopening")
        self._move(items, REOPENED, self.reopened, actor=actor, observations=observations)

    def _move(
        self, items: Iterable[R], status: str, event: Event, *, actor: Person | None, observations: str = ""
    ) -> None:
        now = timezone.now()
        for item in items:
            if item.status not in SOURCES[status]:
                continue
            before = {"status": item.status}
            stamp = {"approved_at": now} if status == APPROVED else {}
            self.model._default_manager.filter(pk=item.pk).update(status=status, **stamp)
            item.refresh_from_db()
            record(
                actor=actor,
                action=event.action,
                instance=cast(models.Model, item),
                before=before,
                after={"status": status},
                summary=str(event.summary) % {"plan": str(item), "obs": observations[:300]},
            )
