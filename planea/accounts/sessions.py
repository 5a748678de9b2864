"""Sessions stored in the database, as Django stores them, read with a statement written once: every signed-in
page reads its session first, and the ORM took longer to build the query than the database to answer it."""

from __future__ import annotations

from functools import lru_cache

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from planea.core import rows


@lru_cache(maxsize=1)
def _session_query() -> tuple[str, rows.Columns[Session]]:
    columns = rows.Columns(Session, rows.field_names(Session), "s")
    sql = f"SELECT {columns.sql} FROM {Session._meta.db_table} s WHERE s.session_key = %s AND s.expire_date > %s"
    return sql, columns


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Session | None:
        sql, columns = _session_query()
        found = rows.fetch(sql, [self.session_key, timezone.now()])
        if not found:
            self._session_key = None
            return None
        session: Session = columns.instance(found[0])
        return session
