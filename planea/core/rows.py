"""Hand-written SQL for the paths every request or step takes (a step of a case, the audit chain), where building a
statement through the ORM costs more than running it.

Statements are built once per process from the models' metadata; values go to and come from the database through
the fields' own conversions (`get_db_prep_save`, the backend's and the field's converters), so a row written or
read here is the row the ORM would write or read. Everything runs in the caller's connection and transaction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper

Converter = Callable[[Any, Any, Any], Any]


def _quote(name: str | None) -> str:
    """The quoted name of a table, alias or column (a concrete field always has a column)."""
    assert name is not None
    return connection.ops.quote_name(name)


def concrete_field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """The model's field `name`, which has a column (not a reverse relation)."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field) and field.concrete, name
    return field


def field_names(model: type[models.Model], *, without: Iterable[str] = ()) -> list[str]:
    """The names of the model's columns (its concrete fields), but `without`."""
    skip = set(without)
    return [field.name for field in model._meta.concrete_fields if field.name not in skip]


class Columns[M: models.Model]:
    """Columns of one model in a SELECT (`alias."column"`, in `names`' order), turned back into an instance."""

    def __init__(self, model: type[M], names: Sequence[str], alias: str) -> None:
        self.model = model
        self.fields = [concrete_field(model, name) for name in names]
        self.attnames = [field.attname for field in self.fields]
        self.sql = ", ".join(f"{_quote(alias)}.{_quote(field.column)}" for field in self.fields)
        self.width = len(self.fields)
        self._converters: dict[str, list[tuple[int, Converter, Any]]] = {}

    def converters(self, db: BaseDatabaseWrapper) -> list[tuple[int, Converter, Any]]:
        """(position, converter, column) for the values the backend or the field converts, as the ORM's compiler."""
        found = self._converters.get(db.vendor)
        if found is None:
            found = []
            for position, field in enumerate(self.fields):
                column = field.get_col(self.model._meta.db_table)
                for converter in db.ops.get_db_converters(column) + column.get_db_converters(db):
                    found.append((position, converter, column))
            self._converters[db.vendor] = found
        return found

    def values(self, row: Sequence[Any], start: int = 0, db: BaseDatabaseWrapper | None = None) -> list[Any]:
        """The values `row[start:start + width]` as the fields hold them (what `values_list` gives). A caller that
        turns many rows passes `db` (`current()`), looked up once."""
        db = db or current()
        values = list(row[start : start + self.width])
        for position, converter, column in self.converters(db):
            values[position] = converter(values[position], column, db)
        return values

    def instance(self, row: Sequence[Any], start: int = 0, db: BaseDatabaseWrapper | None = None) -> M:
        """The model instance of the values `row[start:start + width]`, as loaded from the database."""
        db = db or current()
        return self.model.from_db(db.alias, self.attnames, self.values(row, start, db))


def current() -> BaseDatabaseWrapper:
    """The connection of this thread itself: `django.db.connection` looks it up again on every attribute."""
    return connections[DEFAULT_DB_ALIAS]


def literal(value: str) -> str:
    """A constant of the code (a status, a kind) written into a statement as an SQL literal, where a parameter
    would keep PostgreSQL from planning the statement once for the connection. Plain words only."""
    if not re.fullmatch(r"[a-z0-9_]+", str(value)):
        raise ValueError(f"Not a plain word: {value!r}")
    return f"'{value}'"


def fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def for_update(*of: str) -> str:
    """The clause that locks the rows of the table aliases `of` until the transaction ends, each read as it is once
    the lock is held (PostgreSQL); SQLite's writers are serialized by its transaction itself (BEGIN IMMEDIATE)."""
    if not connection.features.has_select_for_update_of:
        return ""
    return f" FOR UPDATE OF {', '.join(_quote(alias) for alias in of)}"


# Fields whose Python values the driver takes as they are: their conversion for the database changes nothing.
_AS_IS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField)


def _converts(field: models.Field[Any, Any]) -> bool:
    """Whether a value of `field` needs the field's conversion (dates, JSON, UUIDs, decimals, relations to them)."""
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    return not isinstance(target, _AS_IS)


@lru_cache(maxsize=128)
def _writers(model: type[models.Model], names: tuple[str, ...]) -> list[tuple[str, models.Field[Any, Any], bool]]:
    """(attribute, field, whether its values need converting) for each of `names`."""
    return [(field.attname, field, _converts(field)) for field in (concrete_field(model, name) for name in names)]


def _values(instance: models.Model, names: tuple[str, ...]) -> list[Any]:
    """The values of `names` of `instance` as the database takes them (`get_db_prep_save`)."""
    values = []
    for attname, field, converts in _writers(type(instance), names):
        value = getattr(instance, attname)
        if value is not None and (converts or type(value) not in (str, int, bool)):
            value = field.get_db_prep_save(value, connection)
        values.append(value)
    return values


def execute(sql: str, params: Sequence[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def execute_together(statements: Sequence[tuple[str, Sequence[Any]]]) -> list[tuple[Any, ...]]:
    """Run writes that do not read each other's rows: on PostgreSQL in one statement (all but the last as
    data-modifying WITH clauses of the last), on SQLite one after the other. Returns the rows the last one
    returns (an INSERT … RETURNING), else none."""
    if connection.vendor != "postgresql":
        for sql, params in statements[:-1]:
            execute(sql, params)
        return _run(*statements[-1])
    *first, (last_sql, last_params) = statements
    clauses = ", ".join(f"written_{n} AS ({sql})" for n, (sql, _params) in enumerate(first))
    params = [value for _sql, values in first for value in values]
    return _run(f"WITH {clauses} {last_sql}" if first else last_sql, [*params, *last_params])


def _run(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


@lru_cache(maxsize=64)
def _insert_sql(model: type[models.Model], names: tuple[str, ...], count: int, returning: bool) -> str:
    table = _quote(model._meta.db_table)
    columns = ", ".join(_quote(concrete_field(model, name).column) for name in names)
    marks = ", ".join([f"({', '.join(['%s'] * len(names))})"] * count)
    tail = f" RETURNING {_quote(model._meta.pk.column)}" if returning else ""
    return f"INSERT INTO {table} ({columns}) VALUES {marks}{tail}"


def insert_statement(
    instances: Sequence[models.Model], names: Sequence[str], *, returning: bool = False
) -> tuple[str, list[Any]]:
    """The statement (and its parameters) that inserts `instances`, of one model, writing the fields `names`."""
    names = tuple(names)
    params = [value for instance in instances for value in _values(instance, names)]
    return _insert_sql(type(instances[0]), names, len(instances), returning), params


def insert(instances: Sequence[models.Model], names: Sequence[str]) -> None:
    """Insert `instances` (of one model) in one statement, writing the fields `names`; each gets the primary key the
    database gave it (in order, as Django's bulk insert relies on too)."""
    if not instances:
        return
    take_keys(instances, _run(*insert_statement(instances, names, returning=True)))


def take_keys(instances: Sequence[models.Model], returned: Sequence[tuple[Any, ...]]) -> None:
    """Give `instances` the primary keys an insert of them returned, in order."""
    for instance, (pk,) in zip(instances, returned, strict=True):
        instance.pk = pk
        instance._state.adding = False
        instance._state.db = connection.alias


@lru_cache(maxsize=64)
def _update_sql(model: type[models.Model], names: tuple[str, ...]) -> str:
    table = _quote(model._meta.db_table)
    assignments = ", ".join(f"{_quote(concrete_field(model, name).column)} = %s" for name in names)
    return f"UPDATE {table} SET {assignments} WHERE {_quote(model._meta.pk.column)} = %s"


def update_statement(instance: models.Model, names: Iterable[str]) -> tuple[str, list[Any]]:
    """The statement (and its parameters) that writes the fields `names` of a stored instance."""
    names = tuple(names)
    return _update_sql(type(instance), names), [*_values(instance, names), instance.pk]


def update(instance: models.Model, names: Iterable[str]) -> None:
    """Write the fields `names` of a stored instance (what `save(update_fields=names)` writes, in one statement)."""
    execute(*update_statement(instance, names))
