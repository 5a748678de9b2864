"""The inbox (Bandeja): the ready steps a person can work on, through their roles and org units, or assigned, and
every other decision waiting for them that an app declared (`pending.py`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from functools import cache
from html import escape
from typing import Any, NamedTuple

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from planea.core import rows
from planea.core.addresses import addresser
from planea.org.access import visible_unit_ids
from planea.org.models import Person
from planea.org.roles import UNIT_SCOPED_ROLES, Role

from .deadlines import BADGES, LABELS, pending_timeliness
from .models import Case, CaseTask, TaskStatus
from .pending import PendingItem


def _condition(user: Any) -> tuple[str, list[Any]]:
    """Which ready steps are the person's, as SQL over steps `t` of cases `c`: assigned to them, of their
    institution-wide roles, or of their unit-scoped roles in the units they may see."""
    roles = sorted(user.role_slugs())
    wide = [role for role in roles if role not in UNIT_SCOPED_ROLES]
    sql, params = ["t.assignee_id = %s"], [user.pk]
    if wide:
        sql.append(f"t.role IN ({', '.join(['%s'] * len(wide))})")
        params.extend(wide)
    for role in (role for role in roles if role in UNIT_SCOPED_ROLES):
        units = visible_unit_ids(user, [role])
        if units is None:
            sql.append("t.role = %s")
            params.append(role)
        elif units:
            sql.append(f"(t.role = %s AND c.org_unit_id IN ({', '.join(['%s'] * len(units))}))")
            params.extend([role, *sorted(units)])
    return " OR ".join(sql), params


# What an inbox row shows, and no more: read as plain values in a statement written here (a case's workflow state
# and its definition's BPMN are large JSON and text, and sixty model instances cost more than the query).
_TASK_VALUES = rows.Columns(
    CaseTask, ("id", "case", "number", "name", "role", "iteration", "created_at", "due_date", "assignee"), "t"
)
_CASE_VALUES = rows.Columns(Case, ("number", "title"), "c")
_PERSON_VALUES = rows.Columns(Person, ("username", "first_name", "last_name"), "p")
# Written into the statement rather than passed: PostgreSQL then plans the statement once for the connection (a
# plan for any status would be slow, so it plans every run anew: a third of the statement's time).
_READY = rows.literal(TaskStatus.READY)


class _Task(NamedTuple):
    """A ready step as its inbox row shows it."""

    pk: int
    case_id: int
    number: str
    name: str
    role: str
    iteration: int
    created_at: datetime
    due_date: date
    assignee_id: int | None
    case_number: str
    case_title: str
    assignee_username: str | None
    assignee_first_name: str | None
    assignee_last_name: str | None


def _inbox_values(user: Any) -> list[_Task]:
    condition, params = _condition(user)
    found = rows.fetch(
        f"SELECT {_TASK_VALUES.sql}, {_CASE_VALUES.sql}, {_PERSON_VALUES.sql} FROM {CaseTask._meta.db_table} t"
        f" JOIN {Case._meta.db_table} c ON c.id = t.case_id LEFT JOIN {Person._meta.db_table} p"
        f" ON p.id = t.assignee_id WHERE t.status = {_READY} AND ({condition})"
        " ORDER BY t.due_date, t.created_at, t.id",
        params,
    )
    task_width, case_width, db = _TASK_VALUES.width, _CASE_VALUES.width, rows.current()
    return [
        _Task(
            *_TASK_VALUES.values(row, 0, db),
            *_CASE_VALUES.values(row, task_width, db),
            *_PERSON_VALUES.values(row, task_width + case_width, db),
        )
        for row in found
    ]


ROW_HTML = (
    '<tr data-case="{number}" data-step="{step}"><td><a class="text-nowrap" href="{url}#paso-{pk}">{number}</a><br>'
    '<span class="small text-body-secondary">{title}</span></td><td>{step} · {name}{notes}</td>'
    '<td class="small d-none d-md-table-cell">{role}</td>'
    '<td class="small text-nowrap d-none d-md-table-cell">{arrived}</td>'
    '<td class="small text-nowrap">{due}</td>'
    '<td><span class="badge {badge}" data-testid="timeliness">{state}</span></td></tr>'
)
WIDE_ONLY = ' class="d-none d-md-table-cell"'  # a column of the inbox not shown on a phone
NAME_LENGTH = 70  # a step's name is cut there, with an ellipsis


@dataclass
class InboxRow:
    """One ready step of the inbox: whether it is the person's, taken by someone else or free, and its row of the
    table, built once in Python (twenty rows through the template engine cost more than the rest of the page)."""

    mine: bool
    taken: bool
    html: SafeString


@dataclass(frozen=True)
class _Words:
    """What every inbox says alike, translated and escaped once per language (the catalogs are read once per
    process): role and timeliness labels, and the header row of its tables."""

    roles: dict[str, str]
    states: dict[str, str]
    head: str
    times: str  # «%(i)s.ª vez»: how many times a step came back
    taken: str  # «lo tiene %(who)s»


@cache
def _words_in(language: str | None) -> _Words:
    columns = (_("Expediente"), _("Paso"), _("Rol"), _("Llegó"), _("Vence"), _("Plazo"))
    return _Words(
        {value: escape(str(label)) for value, label in Role.choices},
        {state: escape(str(label)) for state, label in LABELS.items()},
        # On a phone the role and the arrival give way, so that the deadline and its state stay in view.
        "".join(
            f'<th scope="col"{WIDE_ONLY if n in (2, 3) else ""}>{escape(column)}</th>'
            for n, column in enumerate(columns)
        ),
        _("%(i)s.ª vez"),
        _("lo tiene %(who)s"),
    )


TABLE_HTML = (
    '<div class="table-responsive mb-3">\n'
    '<table class="table table-sm table-hover align-middle inbox-table" data-testid="{testid}">\n'
    '  <caption class="caption-top fw-semibold text-body">{caption} ({count})</caption>\n'
    "  <thead><tr>{head}</tr></thead>\n  <tbody>{body}</tbody>\n</table>\n</div>"
)


def inbox_tables(rows: list[InboxRow]) -> SafeString:
    """The inbox's tables, those with rows: the steps assigned to the person, those free for their roles, and those
    of their roles that someone else took."""
    head = _words_in(get_language()).head
    tables = (
        ("inbox-mine", _("Asignadas a usted"), [row for row in rows if row.mine]),
        ("inbox-available", _("Disponibles para sus roles"), [row for row in rows if not row.taken]),
        ("inbox-others", _("De sus roles, tomadas por otras personas"), [r for r in rows if r.taken and not r.mine]),
    )
    return mark_safe(
        "\n".join(
            TABLE_HTML.format(
                testid=testid, caption=escape(caption), count=len(found), head=head, body="".join(r.html for r in found)
            )
            for testid, caption, found in tables
            if found
        )
    )


def inbox_rows(user: Any) -> list[InboxRow]:
    today = timezone.localdate()
    tasks = _inbox_values(user)
    words = _words_in(get_language())
    page = _Page(addresser("procedures:case"), timezone.get_current_timezone())
    states: dict[date, str] = {}  # the steps of an inbox share a few due dates
    found = []
    for task in tasks:
        mine = task.assignee_id == user.pk
        due = task.due_date
        state = states.get(due) or states.setdefault(due, pending_timeliness(due, today))
        html = _row_html(task, mine, state, words, page)
        found.append(InboxRow(mine, task.assignee_id is not None, html))
    return found


def _day(day: date) -> str:
    """dd/mm/aaaa, as `strftime("%d/%m/%Y")` writes it at a tenth of its cost."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


class _Page(NamedTuple):
    """What the rows of one inbox share: the address of a case page and the time zone of its dates."""

    case_url: Callable[[int], str]
    zone: tzinfo


def _row_html(task: _Task, mine: bool, state: str, words: _Words, page: _Page) -> SafeString:
    notes = ""
    if task.iteration > 1:
        notes = f' <span class="badge text-bg-light border">{escape(words.times % {"i": task.iteration})}</span>'
    if task.assignee_id is not None and not mine:
        name = f"{task.assignee_first_name} {task.assignee_last_name}".strip() or task.assignee_username
        notes += f'<br><span class="small text-body-secondary">{escape(words.taken % {"who": name})}</span>'
    step_name = task.name
    if len(step_name) > NAME_LENGTH:
        step_name = step_name[: NAME_LENGTH - 1] + "…"
    # Every text below is escaped; numbers and dates are formatted here.
    return SafeString(
        ROW_HTML.format(
            number=escape(task.case_number),
            step=escape(task.number),
            url=escape(page.case_url(task.case_id)),
            pk=task.pk,
            title=escape(task.case_title),
            name=escape(step_name),
            notes=notes,
            role=words.roles.get(task.role) or escape(task.role),
            arrived=_day(task.created_at.astimezone(page.zone)),
            due=_day(task.due_date),
            badge=BADGES[state],
            state=words.states[state],
        )
    )


PENDING_ROW_HTML = (
    '<tr data-pending="{reference}"><td><a href="{url}">{reference}</a><br>'
    '<span class="small text-body-secondary">{kind}</span></td><td>{asked}</td>'
    '<td class="small text-nowrap">{arrived}</td><td class="small text-nowrap">{due}</td>'
    "<td>{state}</td></tr>"
)


def pending_table(items: list[PendingItem]) -> SafeString:
    """The table of the decisions other than case steps (`pending.pending_items`), empty when there are none."""
    if not items:
        return SafeString("")
    today, zone, words = timezone.localdate(), timezone.get_current_timezone(), _words_in(get_language())
    columns = (_("Asunto"), _("Qué se pide"), _("Llegó"), _("Vence"), _("Plazo"))
    body = []
    for item in items:
        state = ""
        if item.due is not None:
            timeliness = pending_timeliness(item.due, today)
            state = (
                f'<span class="badge {BADGES[timeliness]}" data-testid="timeliness">{words.states[timeliness]}</span>'
            )
        body.append(
            PENDING_ROW_HTML.format(
                reference=escape(item.reference),
                url=escape(item.url),
                kind=escape(item.kind),
                asked=escape(item.asked),
                arrived=_day(item.arrived.astimezone(zone)),
                due=_day(item.due) if item.due else "—",
                state=state,
            )
        )
    return SafeString(
        TABLE_HTML.format(
            testid="inbox-decisions",
            caption=escape(_("Solicitudes por resolver")),
            count=len(items),
            head="".join(f'<th scope="col">{escape(column)}</th>' for column in columns),
            body="".join(body),
        )
    )
