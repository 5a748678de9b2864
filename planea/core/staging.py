"""A staging table for set-based writes: many rows are loaded into a temporary table of the current transaction
(`COPY` on PostgreSQL, one `executemany` on SQLite) so that one `UPDATE … FROM` and one `INSERT … SELECT` can apply
them, instead of one statement (or one CASE arm) per row.

The table lives only inside the caller's transaction: a rollback — or a process killed half-way — leaves nothing
behind, because temporary tables and the rows in them belong to the connection and its open transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction

# Column types the staging tables need, the same on both databases.
INTEGER = "bigint"
HASH_JOIN_ROWS = 5000


@contextmanager
def staged(columns: Sequence[str], rows: Iterable[Sequence[int | None]]) -> Iterator[str]:
    """Load `rows` into a new temporary table with integer `columns` and yield its quoted name. Must run inside
    `transaction.atomic()`; the table is dropped on the way out (and by the rollback, on an error)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("staged() needs an open transaction")
    quote = connection.ops.quote_name
    table = quote(f"planea_stage_{uuid.uuid4().hex[:12]}")
    names = ", ".join(quote(c) for c in columns)
    definition = ", ".join(f"{quote(c)} {INTEGER}" for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"CREATE TEMPORARY TABLE {table} ({definition}) ON COMMIT DROP")
            loaded = 0
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    loaded += 1
            # No ANALYZE (a tenth of a national import's statements): a table never analyzed is estimated from its
            # pages, which is close enough for the planner, and a large stage is joined by hash anyway.
            if loaded > HASH_JOIN_ROWS:
                # The planner's estimate of a join against the stage is far off (each staged row matches one stored
                # row); a nested loop of 72,000 index probes takes three times a hash join of the same rows.
                cursor.execute("SET LOCAL enable_nestloop = off")
        else:
            cursor.execute(f"CREATE TEMPORARY TABLE {table} ({definition})")
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(rows))
    yield table
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        if connection.vendor == "postgresql":
            cursor.execute("RESET enable_nestloop")


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert `rows` into `table` in one pass (`COPY` on PostgreSQL, one `executemany` on SQLite) — a tenth of
    the time of the ORM's bulk_create for 100,000 rows, which builds a model instance and an SQL text per row.
    For rows already checked by the caller; runs in the caller's transaction. Returns how many were written."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    written += 1
        else:
            batch = list(rows)
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", batch)
            written = len(batch)
    return written


def update_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Set `columns` of the rows of `table` named by their primary key, the last value of each row
    (`UPDATE … WHERE id = %s`, sent together: one `executemany`, pipelined on PostgreSQL) — where the ORM's
    bulk_update would build one CASE arm per row and column. Runs in the caller's transaction."""
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(c)} = %s" for c in columns)
    batch = list(rows)
    if batch:
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {quote(table)} SET {assignments} WHERE {quote('id')} = %s", batch)
    return len(batch)
