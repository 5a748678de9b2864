"""Whether a finished run still rests on the statistics as they stand: the loads, the marks of excluded periods and
their removals after the run read the statistics. A run never changes (its numbers are reproducible from its input
digest); what a planner needs to know is that a new run would read something else."""

from __future__ import annotations

from datetime import datetime

from django.utils.dateparse import parse_datetime
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from planea.audit.models import AuditEvent
from planea.statistics.models import StatisticsBatch

from .models import ForecastRun

PERIOD_CHANGES = ("statistics_period_marked", "statistics_period_removed")  # their audit events


def read_at(run: ForecastRun) -> datetime:
    """When the run read the statistics (when it was requested, for runs that did not record it)."""
    recorded = parse_datetime(str((run.summary or {}).get("read_at") or ""))
    return recorded or run.created_at


def changes_since(run: ForecastRun) -> str | None:
    """A sentence saying what changed in the statistics after the run read them, or None when nothing did (or the
    run is not finished)."""
    if not run.is_done:
        return None
    since = read_at(run)
    loads = StatisticsBatch.objects.filter(loaded_at__gt=since).count()
    periods = AuditEvent.objects.filter(action__in=PERIOD_CHANGES, occurred_at__gt=since).count()
    if not (loads or periods):
        return None
    parts = []
    if loads:
        parts.append(ngettext("%(n)s carga de estadísticas", "%(n)s cargas de estadísticas", loads) % {"n": loads})
    if periods:
        n = periods
        parts.append(ngettext("%(n)s cambio de periodos atípicos", "%(n)s cambios de periodos atípicos", n) % {"n": n})
    return _(
        "Después de esta corrida hubo %(changes)s: sus números siguen siendo los de los datos que leyó; una corrida "
        "nueva leería los de ahora."
    ) % {"changes": get_text_list(parts, _("y"))}
