"""Marking a span of months as atypical (the pandemic, a counting-method change, a post that was closed) and
removing the mark: one transaction and one audit event each. Forecasts treat the span as the mark says
(`Treatment`); the series page shows the marks that apply (`series.exclusions_for`)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from planea.audit.services import record, snapshot
from planea.org.models import CostCenter, Person

from .models import ExcludedPeriod, StatisticalVariable, Treatment

type Month = tuple[int, int]


@dataclass(frozen=True)
class Span:
    """A mark to make: the months (first and last included), how forecasts treat them, why, and its scope (a
    variable or every one; a cost center or every one)."""

    first: Month
    last: Month
    treatment: str
    reason: str
    variable: StatisticalVariable | None
    cost_center: CostCenter | None


def month_text(month: Month) -> str:
    return f"{month[0]}-{month[1]:02d}"


def scope_text(variable: StatisticalVariable | None, cost_center: CostCenter | None) -> str:
    what = variable.code if variable is not None else _("todas las variables")
    where = cost_center.code if cost_center is not None else _("todos los centros de costo")
    return f"{what}, {where}"


def same_span_exists(span: Span) -> bool:
    """Whether the very same months are already marked for the same scope."""
    return ExcludedPeriod.objects.filter(
        variable=span.variable,
        cost_center=span.cost_center,
        first_year=span.first[0],
        first_month=span.first[1],
        last_year=span.last[0],
        last_month=span.last[1],
    ).exists()


@transaction.atomic
def mark_period(span: Span, *, actor: Person) -> ExcludedPeriod:
    """Record the mark; ValidationError (in Spanish, by field) when its months are out of order, its reason is
    empty or the same span is already marked for the same scope."""
    if span.first > span.last:
        raise ValidationError({"last": _("El último mes es anterior al primero.")})
    if not span.reason.strip():
        raise ValidationError({"reason": _("Escriba el motivo: quien lea la serie o el pronóstico debe entenderlo.")})
    if span.treatment not in Treatment.values:
        raise ValidationError({"treatment": _("Elija cómo tratan los pronósticos esos meses.")})
    if same_span_exists(span):
        raise ValidationError({"first": already_marked(span)})
    period = ExcludedPeriod.objects.create(
        variable=span.variable,
        cost_center=span.cost_center,
        first_year=span.first[0],
        first_month=span.first[1],
        last_year=span.last[0],
        last_month=span.last[1],
        treatment=span.treatment,
        reason=span.reason.strip(),
        marked_by=actor,
        marked_at=timezone.now(),
    )
    record(
        actor=actor,
        action="statistics_period_marked",
        instance=period,
        after=snapshot(period),
        summary=_("Periodo atípico %(first)s a %(last)s marcado (%(scope)s; %(treatment)s): %(reason)s")
        % {
            "first": month_text(span.first),
            "last": month_text(span.last),
            "scope": scope_text(span.variable, span.cost_center),
            "treatment": period.get_treatment_display(),
            "reason": period.reason[:200],
        },
    )
    return period


def already_marked(span: Span) -> str:
    return _("Ese mismo periodo (%(first)s a %(last)s) ya está marcado para %(scope)s.") % {
        "first": month_text(span.first),
        "last": month_text(span.last),
        "scope": scope_text(span.variable, span.cost_center),
    }


@transaction.atomic
def remove_period(period: ExcludedPeriod, *, actor: Person) -> None:
    """Remove the mark; the audit event keeps what it was."""
    locked = (
        ExcludedPeriod.objects.select_for_update(of=("self",))
        .select_related("variable", "cost_center")
        .get(pk=period.pk)
    )
    before = snapshot(locked)
    summary = _("Periodo atípico %(span)s quitado (%(scope)s); era: %(reason)s") % {
        "span": str(locked),
        "scope": scope_text(locked.variable, locked.cost_center),
        "reason": locked.reason[:200],
    }
    record(actor=actor, action="statistics_period_removed", instance=locked, before=before, summary=summary)
    locked.delete()
