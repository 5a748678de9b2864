"""The indicators each procedure's header names, computed from the cases of a year: a case counts in the year it
concluded (the plan approved, the report made, the documents approved, the reports generated)."""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count, F, Q

from .deadlines import timeliness
from .models import Case, CaseStatus, CaseTask, TaskStatus
from .versions import latest_definitions


def indicators_for_year(year: int) -> list[dict[str, Any]]:
    rows = []
    for definition in latest_definitions():
        cases = Case.objects.filter(definition__code=definition.code)
        stats = cases.aggregate(
            done=Count("pk", filter=Q(status=CaseStatus.COMPLETED, completed_at__year=year)),
            started=Count("pk", filter=Q(started_at__year=year)),
            open=Count("pk", filter=Q(status=CaseStatus.OPEN)),
            avg=Avg(
                F("completed_at") - F("started_at"), filter=Q(status=CaseStatus.COMPLETED, completed_at__year=year)
            ),
        )
        steps = list(
            CaseTask.objects.filter(
                case__definition__code=definition.code, status=TaskStatus.COMPLETED, completed_at__year=year
            ).only("status", "completed_at", "due_date")
        )
        on_time = sum(1 for task in steps if timeliness(task) == "on_time")
        rows.append(
            {
                "definition": definition,
                "indicator": (definition.header.get("indicators") or [""])[0].rstrip("."),
                "value": stats["done"],
                "started": stats["started"],
                "open": stats["open"],
                "avg_days": round(stats["avg"].total_seconds() / 86400, 1) if stats["avg"] else None,
                "steps": len(steps),
                "on_time_pct": round(100 * on_time / len(steps)) if steps else None,
            }
        )
    return rows
