"""The rows every step of a case reads and writes — the task with its case, the case's steps so far, the documents
attached — in statements written once (`core.rows`): a step is a handful of them, each a round trip on PostgreSQL,
so each reads what the step needs in one go and no more."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, NamedTuple

from django.db import connection

from planea.core import rows
from planea.org.models import OrgUnit

from .models import Case, CaseTask, Definition, StepDocument, TaskStatus

_TASK = rows.Columns(CaseTask, rows.field_names(CaseTask), "t")
_CASE = rows.Columns(Case, rows.field_names(Case), "c")
# the engine's state is large JSON, read only to complete a step
_CASE_WITHOUT_STATE = rows.Columns(Case, rows.field_names(Case, without=("state",)), "c")
# the engine keeps each version's parsed spec (engine.spec_for): the XML is not read
_DEFINITION = rows.Columns(Definition, rows.field_names(Definition, without=("bpmn_xml",)), "d")
_UNIT = rows.Columns(OrgUnit, rows.field_names(OrgUnit), "u")
_HISTORY_COLUMNS = tuple(
    rows.concrete_field(CaseTask, name).column for name in ("engine_id", "number", "iteration", "completed_by")
)
_NEW_TASK_FIELDS = rows.field_names(CaseTask, without=("id",))
_LINK_FIELDS = rows.field_names(StepDocument, without=("id",))
COMPLETED_FIELDS = (
    *("status", "completed_at", "completed_by", "assignee"),
    *("comment", "decision", "decision_label", "observations"),
)
CASE_PROGRESS_FIELDS = ("state", "revision", "status", "completed_at")


_FROM_TASK = (
    f"FROM {CaseTask._meta.db_table} t JOIN {Case._meta.db_table} c ON c.id = t.case_id"
    f" JOIN {Definition._meta.db_table} d ON d.id = c.definition_id JOIN {OrgUnit._meta.db_table} u"
    " ON u.id = c.org_unit_id"
)


def _locked_sql(case: rows.Columns[Case]) -> str:
    """The task with `case`'s columns of its case, its definition and unit (the caller adds the lock)."""
    return f"SELECT {_TASK.sql}, {case.sql}, {_DEFINITION.sql}, {_UNIT.sql} {_FROM_TASK} WHERE t.id = %s"


_LOCKED = _locked_sql(_CASE_WITHOUT_STATE)
_LOCKED_FOR_COMPLETION = _locked_sql(_CASE)


@lru_cache(maxsize=2)
def _around_sql(vendor: str) -> str:
    """The case's steps so far, as [engine id, number, iteration, completed by], and the documents attached to the
    step, as [slot, document id, link id], each one JSON array (in no order) of a single row. Read after the lock
    is held, so that it sees what was committed while the step waited for it."""
    aggregate, array = (
        ("json_agg", "json_build_array") if vendor == "postgresql" else ("json_group_array", "json_array")
    )
    steps = ", ".join(f"h.{column}" for column in _HISTORY_COLUMNS)
    return (
        f"SELECT (SELECT {aggregate}({array}({steps})) FROM {CaseTask._meta.db_table} h WHERE h.case_id = %s),"
        f" (SELECT {aggregate}({array}(a.slot, a.document_id, a.id)) FROM {StepDocument._meta.db_table} a"
        " WHERE a.task_id = %s)"
    )


def _json(value: Any) -> list[Any]:
    """A JSON array column: decoded by psycopg on PostgreSQL, text on SQLite, NULL for none."""
    return json.loads(value) if isinstance(value, str) else value or []


def _task_of(row: tuple[Any, ...], case_columns: rows.Columns[Case]) -> CaseTask:
    task: CaseTask = _TASK.instance(row)
    at = _TASK.width
    case: Case = case_columns.instance(row, at)
    at += case_columns.width
    case.definition = _DEFINITION.instance(row, at)
    case.org_unit = _UNIT.instance(row, at + _DEFINITION.width)
    task.case = case
    return task


def locked_task(task_pk: int) -> CaseTask:
    """The task with its case (without the engine's state), the case's definition and unit, read in one statement
    that locks the task and the case rows: the case serializes work on its steps, and both rows are read as they
    are once the lock is held."""
    found = rows.fetch(_LOCKED + rows.for_update("t", "c"), [task_pk])
    if not found:
        raise CaseTask.DoesNotExist(f"CaseTask {task_pk}")
    return _task_of(found[0], _CASE_WITHOUT_STATE)


class Locked(NamedTuple):
    """A step locked for completion: the task with its case (and the engine's state), the documents attached to
    the step as (slot, document id), and the case's steps so far (`Step`)."""

    task: CaseTask
    attachments: list[tuple[str, int]]
    history: list[Step]


class Step(NamedTuple):
    """A step of a case as the next steps need it: its engine id, number, iteration and who completed it."""

    engine_id: uuid.UUID
    number: str
    iteration: int
    completed_by_id: int | None


def locked_for_completion(task_pk: int) -> Locked:
    """As `locked_task`, with the engine's state, the documents attached to the step (in the order attached) and
    the case's steps: the locked rows first, then what surrounds them, in a second statement."""
    found = rows.fetch(_LOCKED_FOR_COMPLETION + rows.for_update("t", "c"), [task_pk])
    if not found:
        raise CaseTask.DoesNotExist(f"CaseTask {task_pk}")
    task = _task_of(found[0], _CASE)
    ((steps, attached),) = rows.fetch(_around_sql(connection.vendor), [task.case_id, task.pk])
    return Locked(
        task,
        [(slot, document) for slot, document, _link in sorted(_json(attached), key=lambda link: link[2])],
        [Step(uuid.UUID(str(engine_id)), number, iteration, by) for engine_id, number, iteration, by in _json(steps)],
    )


def ready_tasks(case: Case) -> list[CaseTask]:
    """The case's pending steps in the order they arrived, each holding `case` itself (no further read for it)."""
    # Read by case alone, the status compared here: a case has tens of steps, while the index of pending steps
    # keeps an entry for every step that was ever pending until the table is vacuumed.
    found = rows.fetch(
        f"SELECT {_TASK.sql} FROM {CaseTask._meta.db_table} t WHERE t.case_id = %s ORDER BY t.created_at, t.id",
        [case.pk],
    )
    status = _TASK.attnames.index("status")
    tasks = [_TASK.instance(row) for row in found if row[status] == TaskStatus.READY]
    for task in tasks:
        task.case = case
    return tasks


def attached_slots(task: CaseTask) -> dict[str, int]:
    """The documents attached to the step, by slot (the first attached of each)."""
    found = rows.fetch(
        f"SELECT slot, document_id FROM {StepDocument._meta.db_table} WHERE task_id = %s ORDER BY added_at, id",
        [task.pk],
    )
    slots: dict[str, int] = {}
    for slot, document_id in found:
        slots.setdefault(slot, document_id)
    return slots


def add_tasks(tasks: Sequence[CaseTask]) -> None:
    rows.insert(tasks, _NEW_TASK_FIELDS)


def add_link(link: StepDocument) -> None:
    rows.insert([link], _LINK_FIELDS)


def save_completion(task: CaseTask, case: Case, arrived: Sequence[CaseTask]) -> None:
    """The completed task's record, the case's progress and the steps that arrive with it (which get their
    primary keys), written together."""
    statements = [rows.update_statement(task, COMPLETED_FIELDS), rows.update_statement(case, CASE_PROGRESS_FIELDS)]
    if arrived:
        statements.append(rows.insert_statement(arrived, _NEW_TASK_FIELDS, returning=True))
    rows.take_keys(arrived, rows.execute_together(statements))
