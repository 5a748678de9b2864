"""Backups an auditor can verify, and their restore.

A backup folder holds:

    manifest.json      every file's SHA-256 and size, the rows of every table, the audit chain's last event and hash
    database.sqlite3   (SQLite) SQLite's online backup API: a consistent copy while Planea keeps running
    database.dump      (PostgreSQL) `pg_dump` custom format, taken in the same snapshot as the counts and the hash
    media/…            the stored documents (uploads still waiting for their job are left out)

`restore` refuses a folder whose files do not match its manifest, and a database or media folder that is not empty;
after loading, it checks the row counts, the audit chain (intact, ending in the recorded hash) and every document.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from planea.audit.models import AuditHead
from planea.audit.verify import verify_chain

from .verify import CHUNK, verify_documents

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.dump"
MEDIA = "media"
TRANSIENT_MEDIA = ("jobs",)  # uploads waiting for their job: removed once it ends


class BackupError(Exception):
    """A backup or restore that cannot go on; `problems` are Spanish sentences for the operator."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class RestoreReport:
    tables: int = 0
    rows: int = 0
    audit_events: int = 0
    last_hash: str = ""
    documents: int = 0
    problems: list[str] = field(default_factory=list)


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _tables() -> list[str]:
    """Every table of Planea's models, and Django's record of applied migrations."""
    return sorted({*connection.introspection.django_table_names(only_existing=True), "django_migrations"})


def _count_rows(execute: Any, tables: list[str]) -> dict[str, int]:
    quote = connection.ops.quote_name
    return {table: int(execute(f"SELECT COUNT(*) FROM {quote(table)}")[0]) for table in tables}


def _audit_head(execute: Any) -> dict[str, Any]:
    row = execute(f"SELECT last_seq, last_hash FROM {connection.ops.quote_name(AuditHead._meta.db_table)}")
    return {"last_seq": int(row[0]), "last_hash": row[1]} if row else {"last_seq": 0, "last_hash": ""}


def _postgres_env() -> dict[str, str]:
    config = connection.settings_dict
    env = {**os.environ}
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if config.get(key):
            env[name] = str(config[key])
    return env


def _run(command: list[str], what: str) -> None:
    try:
        done = subprocess.run(command, env=_postgres_env(), capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise BackupError(
            [_("No se encuentra %(tool)s: instale el cliente de PostgreSQL.") % {"tool": command[0]}]
        ) from exc
    if done.returncode != 0:
        raise BackupError([_("%(what)s falló: %(error)s") % {"what": what, "error": done.stderr.strip()[-500:]}])


@contextmanager
def _postgres_snapshot() -> Iterator[tuple[str, Any]]:
    """A read-only repeatable-read transaction on a connection of its own, its snapshot exported for pg_dump."""
    config = connection.settings_dict
    with psycopg.connect(
        dbname=config["NAME"],
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    ) as pg:
        pg.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        pg.read_only = True
        snapshot = pg.execute("SELECT pg_export_snapshot()").fetchone()[0]  # type: ignore[index]
        yield snapshot, lambda sql: pg.execute(sql).fetchone()


def _copy_database(directory: Path) -> tuple[str, dict[str, int], dict[str, Any]]:
    """Copy the database into `directory`; return the file name, the row counts and the audit head of the copy."""
    tables = _tables()
    if connection.vendor == "sqlite":
        target = directory / SQLITE_FILE
        source = sqlite3.connect(connection.settings_dict["NAME"])
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
            execute = lambda sql: copy.execute(sql).fetchone()  # noqa: E731
            return SQLITE_FILE, _count_rows(execute, tables), _audit_head(execute)
        finally:
            copy.close()
            source.close()
    if connection.vendor != "postgresql":
        raise BackupError(
            [_("Esta base de datos (%(vendor)s) no tiene copia de seguridad.") % {"vendor": connection.vendor}]
        )
    with _postgres_snapshot() as (snapshot, execute):
        counts, head = _count_rows(execute, tables), _audit_head(execute)
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={directory / POSTGRES_FILE}",
                str(connection.settings_dict["NAME"]),
            ],
            _("La copia de la base de datos (pg_dump)"),
        )
    return POSTGRES_FILE, counts, head


def _media_files(root: Path) -> Iterator[tuple[str, Path]]:
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if (
            path.is_file()
            and not path.is_symlink()
            and not relative.startswith(tuple(f"{t}/" for t in TRANSIENT_MEDIA))
        ):
            yield relative, path


def backup(directory: Path) -> dict[str, Any]:
    """Write a backup into `directory` (new or empty) and return its manifest."""
    if directory.exists() and any(directory.iterdir()):
        raise BackupError([_("La carpeta «%(dir)s» no está vacía; use una carpeta nueva.") % {"dir": directory}])
    directory.mkdir(parents=True, exist_ok=True)
    database_file, counts, head = _copy_database(directory)
    files = {database_file: {"sha256": _sha256_file(directory / database_file)}}
    for relative, path in _media_files(Path(settings.MEDIA_ROOT)):
        target = directory / MEDIA / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
        files[f"{MEDIA}/{relative}"] = {"sha256": _sha256_file(target)}
    for name, entry in files.items():
        entry["size"] = (directory / name).stat().st_size
    manifest = {
        "planea_backup": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": {"vendor": connection.vendor, "file": database_file},
        "audit": head,
        "rows": counts,
        "files": files,
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    return manifest


def read_manifest(directory: Path) -> dict[str, Any]:
    """The manifest, once every file it lists is there with its SHA-256 and nothing else is; BackupError else."""
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BackupError(
            [_("«%(dir)s» no es una copia de Planea: falta %(file)s.") % {"dir": directory, "file": MANIFEST}]
        ) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError([_("El manifiesto de «%(dir)s» está dañado.") % {"dir": directory}]) from exc
    if (
        not isinstance(manifest, dict)
        or manifest.get("planea_backup") != FORMAT
        or not isinstance(manifest.get("files"), dict)
    ):
        raise BackupError(
            [_("El manifiesto de «%(dir)s» no es de una copia de Planea de este formato.") % {"dir": directory}]
        )
    problems = []
    root = directory.resolve()
    for name, entry in sorted(manifest["files"].items()):
        path = (directory / name).resolve()
        if not path.is_relative_to(root):
            problems.append(_("El manifiesto nombra un archivo fuera de la copia: %(name)s") % {"name": name})
        elif not path.is_file():
            problems.append(_("Falta %(name)s, que el manifiesto registra.") % {"name": name})
        elif _sha256_file(path) != entry.get("sha256"):
            problems.append(_("%(name)s no coincide con su SHA-256 del manifiesto (fue alterado).") % {"name": name})
    listed = set(manifest["files"]) | {MANIFEST}
    for path in sorted(directory.rglob("*")):
        if path.is_file() and path.relative_to(directory).as_posix() not in listed:
            problems.append(_("%(name)s no está en el manifiesto.") % {"name": path.relative_to(directory).as_posix()})
    if problems:
        raise BackupError(problems)
    return manifest


def _load_database(directory: Path, manifest: dict[str, Any]) -> None:
    vendor, name = manifest["database"]["vendor"], manifest["database"]["file"]
    if vendor != connection.vendor:
        raise BackupError(
            [
                _("La copia es de %(copy)s y la base de datos de destino es %(target)s.")
                % {"copy": vendor, "target": connection.vendor}
            ]
        )
    if connection.introspection.table_names():
        raise BackupError([_("La base de datos de destino no está vacía; restaure en una base de datos nueva.")])
    if vendor == "sqlite":
        target = connection.settings_dict["NAME"]
        connection.close()
        source, copy = sqlite3.connect(directory / name), sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        return
    connection.close()
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(directory / name),
        ],
        _("La restauración de la base de datos (pg_restore)"),
    )


def restore(directory: Path) -> RestoreReport:
    """Restore the backup in `directory` into the empty database and media folder of these settings, then check it."""
    manifest = read_manifest(directory)
    media_root = Path(settings.MEDIA_ROOT)
    if any(True for _ in _media_files(media_root)):
        raise BackupError([_("La carpeta de archivos «%(dir)s» no está vacía.") % {"dir": media_root}])
    _load_database(directory, manifest)
    for name in manifest["files"]:
        if name.startswith(f"{MEDIA}/"):
            target = media_root / name.removeprefix(f"{MEDIA}/")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(directory / name, target)
    report = RestoreReport()
    counts = _count_rows(_fetchone, sorted(manifest["rows"]))
    report.tables, report.rows = len(counts), sum(counts.values())
    for table, rows in sorted(manifest["rows"].items()):
        if counts.get(table) != rows:
            report.problems.append(
                _("La tabla %(table)s tiene %(found)s filas y la copia registra %(expected)s.")
                % {"table": table, "found": counts.get(table), "expected": rows}
            )
    chain = verify_chain()
    report.audit_events, report.last_hash = chain.checked, chain.last_hash
    if not chain.ok:
        report.problems.append(_("La cadena de auditoría no está íntegra: %(reason)s") % {"reason": chain.reason})
    elif chain.last_hash != manifest["audit"]["last_hash"]:
        report.problems.append(_("El último hash de la bitácora no es el que registra la copia."))
    documents = verify_documents()
    report.documents = documents.checked
    report.problems += [
        _("Documento #%(id)s: su archivo falta o no coincide con su SHA-256.") % {"id": p.document_id}
        for p in documents.problems
    ]
    return report


def _fetchone(sql: str) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()
