"""Reprogramming of an approved plan: a request with its justification and the before/after current goal of every
cell it changes; the Subdirección de Planificación approves (the new current values apply) or rejects it with its
reasons. Programmed goals never change. A request whose "before" values no longer hold cannot be approved.

A change to a closed period — a month already past, or one already executed (an execution app registers its
executed months with `register_executed_periods`; none does yet) — is refused or taken only with a justification
of its own, as PLANEA_REPROGRAMMING_PAST_MONTHS says."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from planea.audit.services import record
from planea.core.periods import month_abbr
from planea.org.models import Person
from planea.org.roles import Role
from planea.strategy.models import Subproduct

from .goals import Key, grid_cost_centers, lock_plan
from .models import (
    OperationalPlan,
    PhysicalGoal,
    Reprogramming,
    ReprogrammingLine,
    ReprogrammingStatus,
    goal_column,
)
from .plans import OperationsError

APPROVER_ROLES = frozenset({Role.SUBDIRECTOR_PLANIFICACION})
MAX_JUSTIFICATION = 4000  # characters: a page of text, kept whole in the request and its audit event
REFUSE_PAST, JUSTIFY_PAST = "refuse", "justify"  # the values of PLANEA_REPROGRAMMING_PAST_MONTHS

type Period = tuple[int, int]  # (year, month); month 0 for a POM's whole year
type ExecutedPeriods = Callable[[OperationalPlan], set[Period]]
EXECUTED_PERIODS: list[ExecutedPeriods] = []


def register_executed_periods(provider: ExecutedPeriods) -> ExecutedPeriods:
    """The socket for execution: `provider(plan)` gives the periods of the plan already executed (registered)."""
    EXECUTED_PERIODS.append(provider)
    return provider


def today() -> date:
    """The date that decides which months are past (tests set it)."""
    return timezone.localdate()


def closed_periods(plan: OperationalPlan) -> set[Period]:
    """The plan's periods a reprogramming no longer changes without a word: months before the current one (a POM's
    years before the current one) and the periods already executed."""
    now = today()
    past = {(y, m) for y, m in plan.periods() if (y, m or 12) < (now.year, now.month)}
    executed = set().union(*(provider(plan) for provider in EXECUTED_PERIODS))
    return past | executed


def period_label(period: Period) -> str:
    year, month = period
    return f"{month_abbr(month)} {year}" if month else str(year)


def periods_text(periods: Iterable[Period]) -> str:
    return ", ".join(period_label(p) for p in sorted(periods))


def _closed_in(lines: Iterable[ReprogrammingLine], closed: set[Period]) -> list[Period]:
    return sorted({(line.goal.year, line.month) for line in lines} & closed)


def _past_justification(plan: OperationalPlan, lines: list[ReprogrammingLine], text: str) -> str:
    """The justification of the closed periods the request changes ("" when it changes none), or the refusal."""
    closed = _closed_in(lines, closed_periods(plan))
    if not closed:
        return ""
    if settings.PLANEA_REPROGRAMMING_PAST_MONTHS == REFUSE_PAST:
        raise OperationsError(
            _(
                "La solicitud cambia metas de períodos ya transcurridos o ejecutados (%(periods)s); las normas de la "
                "institución no lo permiten. Reprograme solo los meses que vienen."
            )
            % {"periods": periods_text(closed)}
        )
    text = text.strip()
    if len(text) < 10:
        raise OperationsError(
            {
                "past_justification": _(
                    "La solicitud cambia metas de períodos ya transcurridos o ejecutados (%(periods)s): escriba por "
                    "qué en «Justificación de los meses transcurridos» (al menos 10 caracteres)."
                )
                % {"periods": periods_text(closed)}
            }
        )
    if len(text) > MAX_JUSTIFICATION:
        raise OperationsError(
            {
                "past_justification": _(
                    "La justificación de los meses transcurridos puede tener hasta %(max)s caracteres."
                )
                % {"max": f"{MAX_JUSTIFICATION:,}"}
            }
        )
    return text


@transaction.atomic
def request(
    plan: OperationalPlan,
    *,
    changes: dict[Key, int],
    justification: str,
    actor: Person,
    past_justification: str = "",
) -> Reprogramming:
    """`changes` maps (subproduct, cost center, year, month) to the proposed current goal; `past_justification` says
    why periods already past or executed change (refused instead, as PLANEA_REPROGRAMMING_PAST_MONTHS says)."""
    plan = lock_plan(plan)
    if not plan.is_approved:
        raise OperationsError(
            _("Solo se reprograma un plan aprobado; %(plan)s aún se edita directamente.") % {"plan": plan.code}
        )
    justification = justification.strip()
    if len(justification) < 10:
        raise OperationsError(
            {"justification": _("Escriba la justificación de la reprogramación (al menos 10 caracteres).")}
        )
    if len(justification) > MAX_JUSTIFICATION:
        raise OperationsError(
            {
                "justification": _(
                    "La justificación puede tener hasta %(max)s caracteres; la escrita tiene %(n)s. Resúmala."
                )
                % {"max": f"{MAX_JUSTIFICATION:,}", "n": f"{len(justification):,}"}
            }
        )
    periods = set(plan.periods())
    subproducts = {s.pk: s for s in Subproduct.objects.filter(plan=plan.strategic_plan, pk__in={k[0] for k in changes})}
    rows = {s: {c.pk for c in grid_cost_centers(plan, sub)} for s, sub in subproducts.items()}
    for s, c, _y, _m in changes:
        if c not in rows.get(s, set()):
            raise OperationsError(
                _("Ese centro de costo no entrega el subproducto; no se le pueden reprogramar metas.")
            )
    stored = {
        (g.subproduct_id, g.cost_center_id, g.year): g
        for g in PhysicalGoal.objects.filter(plan=plan, subproduct_id__in={k[0] for k in changes}).select_related(
            "plan", "subproduct", "cost_center"
        )
    }
    lines: list[ReprogrammingLine] = []
    for (s, c, y, m), after in changes.items():
        if after < 0:
            raise OperationsError(_("Una meta no puede ser negativa."))
        if (y, m) not in periods:
            raise OperationsError(_("El período no es del plan."))
        goal = stored.get((s, c, y))
        if goal is None:
            goal = stored[(s, c, y)] = PhysicalGoal.objects.create(plan=plan, subproduct_id=s, cost_center_id=c, year=y)
        if goal.value("current", m) != after:
            lines.append(ReprogrammingLine(goal=goal, month=m, before=goal.value("current", m), after=after))
    if not lines:
        raise OperationsError(_("La solicitud no cambia ninguna meta vigente."))
    past_justification = _past_justification(plan, lines, past_justification)
    number = (plan.reprogrammings.aggregate(n=Max("number"))["n"] or 0) + 1
    reprogramming = Reprogramming.objects.create(
        plan=plan,
        number=number,
        justification=justification,
        past_justification=past_justification,
        requested_by=actor,
        requested_at=timezone.now(),
    )
    for line in lines:
        line.reprogramming = reprogramming
    ReprogrammingLine.objects.bulk_create(lines)
    record(
        actor=actor,
        action="reprogramming_requested",
        instance=reprogramming,
        after={
            "justification": justification,
            "past_justification": past_justification,
            "lines": {line.cell: [line.before, line.after] for line in lines},
        },
        summary=ngettext(
            "Reprogramación %(r)s solicitada: %(n)s meta", "Reprogramación %(r)s solicitada: %(n)s metas", len(lines)
        )
        % {"r": reprogramming, "n": len(lines)},
    )
    return reprogramming


def changes_of(subproduct: Subproduct, cells: dict[tuple[int, int, int], tuple[int, int]]) -> dict[Key, int]:
    """The cells of one subproduct's grid (cost center, year, month → seen, new) whose new current goal differs
    from the one seen: what a request asks for."""
    return {(subproduct.pk, c, y, m): new for (c, y, m), (seen, new) in cells.items() if new != seen}


def refusal(reprogramming: Reprogramming, actor: Person) -> str | None:
    """Why `actor` may not decide the request (None when they may): it was already decided, they are not of the
    Subdirección de Planificación, or they requested it."""
    if reprogramming.status != ReprogrammingStatus.REQUESTED:
        return _("La reprogramación %(r)s ya fue %(status)s.") % {
            "r": reprogramming,
            "status": reprogramming.get_status_display().lower(),
        }
    if not actor.has_any_role(APPROVER_ROLES):
        return _("Solo la Subdirección de Planificación resuelve reprogramaciones.")
    if actor.pk == reprogramming.requested_by_id:
        return _("Quien solicita una reprogramación no puede resolverla.")
    return None


def can_decide(reprogramming: Reprogramming, actor: Person) -> bool:
    return refusal(reprogramming, actor) is None


def _locked_request(reprogramming: Reprogramming, actor: Person) -> Reprogramming:
    current = Reprogramming.objects.select_for_update().get(pk=reprogramming.pk)
    reason = refusal(current, actor)
    if reason is not None:
        raise OperationsError(reason)
    return current


def _decision_note(note: str) -> str:
    note = note.strip()
    if len(note) > MAX_JUSTIFICATION:
        raise OperationsError(
            _("Las observaciones pueden tener hasta %(max)s caracteres; las escritas tienen %(n)s.")
            % {"max": f"{MAX_JUSTIFICATION:,}", "n": f"{len(note):,}"}
        )
    return note


@transaction.atomic
def approve(reprogramming: Reprogramming, *, actor: Person, note: str = "") -> Reprogramming:
    lock_plan(reprogramming.plan)
    current = _locked_request(reprogramming, actor)
    lines = list(current.lines.select_related("goal__plan", "goal__subproduct", "goal__cost_center"))
    stale = [line for line in lines if line.goal.value("current", line.month) != line.before]
    if stale:
        raise OperationsError(
            _("Las metas vigentes cambiaron desde la solicitud (%(cells)s); recházela y solicite otra.")
            % {"cells": ", ".join(line.cell for line in stale[:5])}
        )
    note = _decision_note(note)
    closed = _closed_in(lines, closed_periods(current.plan))
    if closed and settings.PLANEA_REPROGRAMMING_PAST_MONTHS == REFUSE_PAST:
        raise OperationsError(
            _(
                "Los períodos %(periods)s ya transcurrieron o se ejecutaron desde la solicitud; las normas de la "
                "institución no permiten reprogramarlos. Recházela y solicite los meses que vienen."
            )
            % {"periods": periods_text(closed)}
        )
    if closed and not current.past_justification and len(note) < 10:
        # months that passed after the request was made: whoever approves says why, as the requester would have
        raise OperationsError(
            _(
                "Los períodos %(periods)s transcurrieron o se ejecutaron desde la solicitud: para aprobarla, escriba "
                "en las observaciones por qué (al menos 10 caracteres)."
            )
            % {"periods": periods_text(closed)}
        )
    now = timezone.now()
    rows = {line.goal_id: line.goal for line in lines}  # the lines of one row share its instance
    for line in lines:
        goal = rows[line.goal_id]
        setattr(goal, goal_column("current", line.month), line.after)
        goal.updated_by, goal.updated_at = actor, now
    changed = sorted({goal_column("current", line.month) for line in lines})
    PhysicalGoal.objects.bulk_update(list(rows.values()), [*changed, "updated_by", "updated_at"])
    current.status = ReprogrammingStatus.APPROVED
    current.decided_by, current.decided_at, current.decision_note = actor, now, note
    current.save()
    record(
        actor=actor,
        action="reprogramming_approved",
        instance=current,
        before={line.cell: line.before for line in lines},
        after={line.cell: line.after for line in lines},
        summary=_("Reprogramación %(r)s aprobada") % {"r": current},
    )
    return current


@transaction.atomic
def reject(reprogramming: Reprogramming, *, actor: Person, note: str) -> Reprogramming:
    current = _locked_request(reprogramming, actor)
    note = _decision_note(note)
    if not note:
        raise OperationsError(_("Escriba por qué se rechaza la reprogramación."))
    current.status = ReprogrammingStatus.REJECTED
    current.decided_by, current.decided_at, current.decision_note = actor, timezone.now(), note
    current.save()
    record(
        actor=actor,
        action="reprogramming_rejected",
        instance=current,
        after={"note": current.decision_note},
        summary=_("Reprogramación %(r)s rechazada") % {"r": current},
    )
    return current


def changes_since_approval(plan: OperationalPlan) -> list[ReprogrammingLine]:
    """Every current goal changed by an approved reprogramming since the plan was approved, oldest first."""
    return list(
        ReprogrammingLine.objects.filter(
            reprogramming__plan=plan,
            reprogramming__status=ReprogrammingStatus.APPROVED,
            reprogramming__decided_at__gte=plan.approved_at,
        )
        .select_related("reprogramming", "goal__plan", "goal__subproduct", "goal__cost_center")
        .order_by(
            "reprogramming__decided_at", "goal__subproduct__code", "goal__cost_center__code", "goal__year", "month"
        )
    )
