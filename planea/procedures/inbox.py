"""The inbox (Bandeja): the ready steps a person can work on, through their roles and org units, or assigned."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from planea.core.authz import visible_unit_ids
from planea.org.roles import UNIT_SCOPED_ROLES

from .deadlines import timeliness_badge
from .models import CaseTask, TaskStatus


def inbox_tasks(user: Any) -> QuerySet[CaseTask]:
    roles = set(user.role_slugs())
    wide = roles - UNIT_SCOPED_ROLES
    condition = Q(assignee=user) | Q(role__in=wide)
    for role in roles & UNIT_SCOPED_ROLES:
        units = visible_unit_ids(user, [role])
        condition |= Q(role=role) & (Q(case__org_unit__in=units) if units is not None else Q())
    return (
        CaseTask.objects.filter(status=TaskStatus.READY)
        .filter(condition)
        .select_related("case__definition", "assignee")
        .order_by("due_date", "created_at")
    )


def inbox_rows(user: Any) -> list[dict[str, Any]]:
    return [{"task": t, "mine": t.assignee_id == user.pk, **timeliness_badge(t)} for t in inbox_tasks(user)]
