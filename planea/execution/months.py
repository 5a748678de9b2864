"""A month of execution through P6: registered by the profesional (step 4), authorized by the jefe (step 5) once every
deviation beyond the tolerance has its written cause, approved by the subdirector (step 6), which locks it and keeps
what it fixed as an approved revision (figures and their SHA-256). Months are approved in order: not before the
previous month of the same POA. Reopening an approved month takes the subdirector's role and a reason; the month goes
back to open as its next revision, and the approved one stays readable. Each step is one transaction and one audit
event."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from planea.audit.services import record
from planea.org.models import CostCenter, Person
from planea.org.roles import Role
from planea.strategy.models import Subproduct

from .analysis import LineFigures, month_lines, tolerance
from .executed import ExecutionError, Line
from .models import ApprovedRevision, DeviationCause, ExecutionMonth, MonthReopening, MonthStatus

MAX_NAMED = 10  # lines named in a refusal; the rest are counted
CAUSE_LENGTH = 4000  # characters of a cause of deviation (a paragraph or two of a report)


def _locked(month: ExecutionMonth) -> ExecutionMonth:
    return ExecutionMonth.objects.select_for_update().select_related("plan").get(pk=month.pk)


def _require(month: ExecutionMonth, status: MonthStatus, doing: str) -> None:
    if month.status != status:
        raise ExecutionError(
            _("%(month)s está «%(status)s»: no se puede %(doing)s.")
            % {"month": label(month), "status": month.get_status_display(), "doing": doing}
        )


def label(month: ExecutionMonth) -> str:
    return _("El mes %(month)02d/%(year)s de %(plan)s") % {
        "month": month.month,
        "year": month.year,
        "plan": month.plan.code,
    }


def _codes(lines: Iterable[Line]) -> dict[Line, tuple[str, str]]:
    """(subproduct, cost center) → their codes, in two queries."""
    lines = list(lines)
    subproducts = dict(Subproduct.objects.filter(pk__in={s for s, _c in lines}).values_list("pk", "code"))
    centers = dict(CostCenter.objects.filter(pk__in={c for _s, c in lines}).values_list("pk", "code"))
    return {(s, c): (subproducts[s], centers[c]) for s, c in lines}


def _named(lines: list[Line]) -> str:
    codes = _codes(lines[:MAX_NAMED])
    shown = ", ".join(" · ".join(codes[line]) for line in lines[:MAX_NAMED])
    more = len(lines) - MAX_NAMED
    if more > 0:
        shown += " " + ngettext("y %(n)s línea más", "y %(n)s líneas más", more) % {"n": more}
    return shown


def needing_cause(month: ExecutionMonth, lines: dict[Line, LineFigures] | None = None) -> list[Line]:
    """The lines of the month beyond the tolerance that have no written cause yet."""
    lines = lines if lines is not None else month_lines(month.plan, month.month)
    written = set(month.causes.values_list("subproduct_id", "cost_center_id"))
    limit = tolerance()
    return [key for key, figures in lines.items() if figures.beyond(limit) and key not in written]


@transaction.atomic
def register(month: ExecutionMonth, *, actor: Person) -> ExecutionMonth:
    """Step 4: the month's execution is complete and registered. Every line with a goal needs its executed value
    (0 is a value)."""
    month = _locked(month)
    _require(month, MonthStatus.OPEN, _("registrar"))
    missing = [key for key, figures in month_lines(month.plan, month.month).items() if figures.executed is None]
    if missing:
        raise ExecutionError(
            ngettext(
                "Falta lo ejecutado de %(n)s línea con meta: %(lines)s.",
                "Falta lo ejecutado de %(n)s líneas con meta: %(lines)s.",
                len(missing),
            )
            % {"n": len(missing), "lines": _named(missing)}
        )
    month.status, month.registered_by, month.registered_at = MonthStatus.REGISTERED, actor, timezone.now()
    month.save(update_fields=["status", "registered_by", "registered_at"])
    record(
        actor=actor, action="execution_registered", instance=month, summary=_("%(month)s registrado") % {"month": month}
    )
    return month


@transaction.atomic
def write_cause(month: ExecutionMonth, line: Line, text: str, *, actor: Person) -> DeviationCause | None:
    """The cause of a line's deviation, written, rewritten or removed (empty text) while the month is open or
    registered; at most CAUSE_LENGTH characters."""
    month = _locked(month)
    if month.status not in (MonthStatus.OPEN, MonthStatus.REGISTERED):
        raise ExecutionError(_("%(month)s ya se autorizó: sus causas no cambian.") % {"month": label(month)})
    text = text.strip()
    if len(text) > CAUSE_LENGTH:
        raise ExecutionError(cause_too_long(len(text)))
    before = month.causes.filter(subproduct_id=line[0], cost_center_id=line[1]).first()
    if not text:
        if before is not None:
            record(
                actor=actor,
                action="execution_cause_removed",
                instance=month,
                before={"subproduct": line[0], "cost_center": line[1], "text": before.text},
                summary=_("Causa de desviación quitada de %(month)s") % {"month": month},
            )
            before.delete()
        return None
    cause, _created = DeviationCause.objects.update_or_create(
        execution_month=month,
        subproduct_id=line[0],
        cost_center_id=line[1],
        defaults={"text": text, "written_by": actor, "written_at": timezone.now()},
    )
    record(
        actor=actor,
        action="execution_cause_written",
        instance=month,
        before={"text": before.text} if before else None,
        after={"subproduct": line[0], "cost_center": line[1], "text": cause.text},
        summary=_("Causa de desviación de %(month)s") % {"month": month},
    )
    return cause


def cause_too_long(length: int) -> str:
    return _("La causa admite a lo sumo %(max)s caracteres; tiene %(n)s.") % {
        "max": f"{CAUSE_LENGTH:,}",
        "n": f"{length:,}",
    }


@transaction.atomic
def authorize(month: ExecutionMonth, *, actor: Person) -> ExecutionMonth:
    """Step 5: the jefe authorizes the registered month, once every deviation beyond the tolerance has its cause."""
    month = _locked(month)
    _require(month, MonthStatus.REGISTERED, _("autorizar"))
    missing = needing_cause(month)
    if missing:
        raise ExecutionError(
            ngettext(
                "%(n)s línea se desvía más de ±%(tol)s %% de la meta vigente y no tiene su causa: %(lines)s.",
                "%(n)s líneas se desvían más de ±%(tol)s %% de la meta vigente y no tienen su causa: %(lines)s.",
                len(missing),
            )
            % {"n": len(missing), "tol": tolerance(), "lines": _named(missing)}
        )
    month.status, month.authorized_by, month.authorized_at = MonthStatus.AUTHORIZED, actor, timezone.now()
    month.save(update_fields=["status", "authorized_by", "authorized_at"])
    record(
        actor=actor, action="execution_authorized", instance=month, summary=_("%(month)s autorizado") % {"month": month}
    )
    return month


def causes_of(month: ExecutionMonth | None) -> dict[Line, str]:
    """The month's causes of deviation by line (none for a month not started)."""
    if month is None or month.pk is None:
        return {}
    return {(c.subproduct_id, c.cost_center_id): c.text for c in month.causes.all()}


def figures_of(month: ExecutionMonth) -> list[dict[str, Any]]:
    """The month's lines as the approval fixes them, in a stable order: codes, quantities and the cause."""
    lines = month_lines(month.plan, month.month)
    codes = _codes(lines)
    causes = causes_of(month)
    rows = [
        {
            "subproduct": codes[(s, c)][0],
            "cost_center": codes[(s, c)][1],
            "planned": figures.planned,
            "current": figures.current,
            "executed": figures.executed,
            "cause": causes.get((s, c), ""),
        }
        for (s, c), figures in lines.items()
    ]
    return sorted(rows, key=lambda row: (row["subproduct"], row["cost_center"]))


def digest(figures: list[dict[str, Any]]) -> str:
    """The SHA-256 of approved figures (canonical JSON: sorted keys, no spaces)."""
    text = json.dumps(figures, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def previous_unapproved(month: ExecutionMonth) -> int | None:
    """The previous month of the same POA while it is not approved (None in January, or once it is)."""
    if month.month == 1:
        return None
    previous = ExecutionMonth.objects.filter(plan_id=month.plan_id, year=month.year, month=month.month - 1).first()
    return None if previous is not None and previous.status == MonthStatus.APPROVED else month.month - 1


@transaction.atomic
def approve(month: ExecutionMonth, *, actor: Person) -> ApprovedRevision:
    """Step 6: the subdirector approves the authorized month, which locks it; not before the previous month."""
    month = _locked(month)
    _require(month, MonthStatus.AUTHORIZED, _("aprobar"))
    previous = previous_unapproved(month)
    if previous is not None:
        raise ExecutionError(
            _("Primero se aprueba el mes %(prev)02d/%(year)s del mismo POA.") % {"prev": previous, "year": month.year}
        )
    figures = figures_of(month)
    now = timezone.now()
    month.status, month.approved_by, month.approved_at = MonthStatus.APPROVED, actor, now
    month.save(update_fields=["status", "approved_by", "approved_at"])
    revision = ApprovedRevision.objects.create(
        execution_month=month,
        revision=month.revision,
        figures=figures,
        sha256=digest(figures),
        registered_by_id=month.registered_by_id,
        registered_at=month.registered_at,
        authorized_by_id=month.authorized_by_id,
        authorized_at=month.authorized_at,
        approved_by=actor,
        approved_at=now,
    )
    record(
        actor=actor,
        action="execution_approved",
        instance=month,
        after={"revision": revision.revision, "sha256": revision.sha256, "lines": len(figures)},
        summary=_("%(month)s aprobado (revisión %(rev)s)") % {"month": month, "rev": revision.revision},
    )
    return revision


# Who sends a month back to be corrected, by the state it is in: the jefe a registered month (step 5), the
# subdirector an authorized one (step 6).
SENDS_BACK = {
    MonthStatus.REGISTERED: Role.JEFE_PLANES_PROGRAMAS,
    MonthStatus.AUTHORIZED: Role.SUBDIRECTOR_PLANIFICACION,
}


@transaction.atomic
def send_back(month: ExecutionMonth, *, reason: str, actor: Person) -> ExecutionMonth:
    """A registered or authorized month sent back to be corrected, with the reason: it is open again (the same
    revision: nothing was approved), to be registered and authorized again."""
    reason = reason.strip()
    if not reason:
        raise ExecutionError(_("Escriba el motivo de la devolución: qué debe corregirse."))
    month = _locked(month)
    role = SENDS_BACK.get(MonthStatus(month.status))
    if role is None:
        raise ExecutionError(
            _("%(month)s está «%(status)s»: se devuelve un mes registrado o autorizado.")
            % {"month": label(month), "status": month.get_status_display()}
        )
    if not actor.has_any_role([role]):
        raise ExecutionError(
            _("Devuelve un mes registrado el jefe de Planes y Programas; uno autorizado, la Subdirección.")
        )
    before = month.status
    month.status = MonthStatus.OPEN
    month.registered_by = month.authorized_by = None
    month.registered_at = month.authorized_at = None
    month.save(update_fields=["status", "registered_by", "registered_at", "authorized_by", "authorized_at"])
    record(
        actor=actor,
        action="execution_sent_back",
        instance=month,
        before={"status": before},
        after={"status": month.status, "reason": reason[:1000]},
        summary=_("%(month)s devuelto para corregir: %(reason)s") % {"month": month, "reason": reason[:200]},
    )
    return month


@transaction.atomic
def reopen(month: ExecutionMonth, *, reason: str, actor: Person) -> ExecutionMonth:
    """The subdirector reopens an approved month, with a reason: it goes back to open as its next revision; the
    approved revision stays as it was."""
    if not actor.has_any_role([Role.SUBDIRECTOR_PLANIFICACION]):
        raise ExecutionError(_("Solo la Subdirección de Planificación reabre un mes aprobado."))
    reason = reason.strip()
    if not reason:
        raise ExecutionError(_("Escriba el motivo para reabrir el mes."))
    month = _locked(month)
    _require(month, MonthStatus.APPROVED, _("reabrir"))
    later = ExecutionMonth.objects.filter(
        plan=month.plan, year=month.year, month__gt=month.month, status=MonthStatus.APPROVED
    )
    if later.exists():
        raise ExecutionError(
            _("Hay meses posteriores aprobados: se reabren en orden, empezando por el último aprobado.")
        )
    MonthReopening.objects.create(
        execution_month=month,
        revision=month.revision,
        reason=reason[:4000],
        reopened_by=actor,
        reopened_at=timezone.now(),
    )
    month.status, month.revision = MonthStatus.OPEN, month.revision + 1
    month.registered_by = month.authorized_by = month.approved_by = None
    month.registered_at = month.authorized_at = month.approved_at = None
    month.save()
    record(
        actor=actor,
        action="execution_reopened",
        instance=month,
        after={"revision": month.revision, "reason": reason[:500]},
        summary=_("%(month)s reabierto: %(reason)s") % {"month": month, "reason": reason[:200]},
    )
    return month
