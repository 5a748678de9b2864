"""The benchmark database: SQLite under var/bench by default, or the PostgreSQL database that DATABASE_URL names
(created when missing). `prepare()` sets Django up on it, migrates (and vacuums PostgreSQL, as autovacuum would),
and says which database the numbers are for."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _create_postgres_database(url: str) -> None:
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    params = {"host": config["HOST"] or None, "port": config["PORT"] or None, "user": config["USER"] or None}
    if config["PASSWORD"]:
        params["password"] = config["PASSWORD"]
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))


def prepare() -> str:
    """Django set up on the benchmark database, migrated; returns «SQLite» or «PostgreSQL»."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    sys.path.insert(0, str(ROOT))
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        _create_postgres_database(url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    settle()
    return "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"


def settle(vacuum: bool = True) -> None:
    """Statistics and visibility as a running database keeps them (autovacuum on PostgreSQL, ANALYZE on SQLite),
    rather than those of rows written a moment ago. Autovacuum may be off on a development server: without this,
    the rows earlier runs changed stay in the indexes, and a table that grew during a run is planned as the empty
    table it was when its statements were first prepared (a step of P6 went from 3x to 11x Spiff over 1,000 cases
    on a new database). `vacuum=False`: statistics only, as autovacuum refreshes them while tables grow."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum and connection.vendor == "postgresql" else "ANALYZE")


def save(result: dict[str, object], database: str) -> None:
    """bench/results/<benchmark>-<database>.json"""
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    result = {**result, "database": database}
    (out / f"{result['benchmark']}-{database.lower()}.json").write_text(json.dumps(result, indent=2))
