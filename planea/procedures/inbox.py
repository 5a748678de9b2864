"""The inbox (Bandeja): the ready steps a person can work on, through their roles and org units, or assigned."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from planea.core.authz import visible_unit_ids
from planea.org.roles import UNIT_SCOPED_ROLES, Role

from .deadlines import BADGES, LABELS, pending_timeliness
from .models import CaseTask, TaskStatus


def inbox_tasks(user: Any) -> QuerySet[CaseTask]:
    roles = set(user.role_slugs())
    wide = roles - UNIT_SCOPED_ROLES
    condition = Q(assignee=user) | Q(role__in=wide)
    for role in roles & UNIT_SCOPED_ROLES:
        units = visible_unit_ids(user, [role])
        condition |= Q(role=role) & (Q(case__org_unit__in=units) if units is not None else Q())
    return CaseTask.objects.filter(status=TaskStatus.READY).filter(condition).order_by("due_date", "created_at")


# What an inbox row shows, and no more: read as plain values (a case's workflow state and its definition's BPMN are
# large JSON and text, and sixty model instances cost more than the query).
ROW_FIELDS = (
    *("pk", "case_id", "number", "name", "role", "iteration", "created_at", "due_date", "assignee_id"),
    *("case__number", "case__title", "assignee__username", "assignee__first_name", "assignee__last_name"),
)
ROW_HTML = (
    '<tr data-case="{number}" data-step="{step}"><td><a href="{url}#paso-{pk}">{number}</a><br>'
    '<span class="small text-body-secondary">{title}</span></td><td>{step} · {name}{notes}</td>'
    '<td class="small">{role}</td><td class="small text-nowrap">{arrived}</td>'
    '<td class="small text-nowrap">{due}</td>'
    '<td><span class="badge {badge}" data-testid="timeliness">{state}</span></td></tr>'
)
NAME_LENGTH = 70  # a step's name is cut there, with an ellipsis


@dataclass
class InboxRow:
    """One ready step of the inbox: whether it is the person's, taken by someone else or free, and its row of the
    table, built once in Python (twenty rows through the template engine cost more than the rest of the page)."""

    mine: bool
    taken: bool
    html: SafeString


def inbox_rows(user: Any) -> list[InboxRow]:
    roles = {value: str(label) for value, label in Role.choices}
    case_url = reverse("procedures:case", args=[0]).removesuffix("0/")  # the case page is «…/<id>/»
    today = timezone.localdate()
    rows = []
    for values in inbox_tasks(user).values_list(*ROW_FIELDS):
        task = dict(zip(ROW_FIELDS, values, strict=True))
        mine = task["assignee_id"] == user.pk
        rows.append(InboxRow(mine, task["assignee_id"] is not None, _row_html(task, mine, today, roles, case_url)))
    return rows


def _row_html(task: dict[str, Any], mine: bool, today: date, roles: dict[str, str], case_url: str) -> SafeString:
    notes = ""
    if task["iteration"] > 1:
        notes = (
            f' <span class="badge text-bg-light border">{escape(_("%(i)s.ª vez") % {"i": task["iteration"]})}</span>'
        )
    if task["assignee_id"] is not None and not mine:
        name = f"{task['assignee__first_name']} {task['assignee__last_name']}".strip() or task["assignee__username"]
        notes += f'<br><span class="small text-body-secondary">{escape(_("lo tiene %(who)s") % {"who": name})}</span>'
    state = pending_timeliness(task["due_date"], today)
    step_name = task["name"]
    if len(step_name) > NAME_LENGTH:
        step_name = step_name[: NAME_LENGTH - 1] + "…"
    return mark_safe(  # every text below is escaped; numbers and dates are formatted here
        ROW_HTML.format(
            number=escape(task["case__number"]),
            step=escape(task["number"]),
            url=escape(f"{case_url}{task['case_id']}/"),
            pk=task["pk"],
            title=escape(task["case__title"]),
            name=escape(step_name),
            notes=notes,
            role=escape(roles.get(task["role"], task["role"])),
            arrived=timezone.localtime(task["created_at"]).strftime("%d/%m/%Y"),
            due=task["due_date"].strftime("%d/%m/%Y"),
            badge=BADGES[state],
            state=escape(str(LABELS[state])),
        )
    )
