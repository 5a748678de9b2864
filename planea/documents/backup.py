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
import hmac
import json
import os
import re
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
SIGNATURE = "manifest.json.hmac"
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.dump"
MEDIA = "media"
TRANSIENT_MEDIA = ("jobs",)  # uploads waiting for their job: removed once it ends
MAX_MANIFEST_BYTES = 256 * 1024 * 1024  # a manifest lists one line per file: a million documents fit


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
    signed: bool = False
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
    files: dict[str, dict[str, str | int]] = {database_file: {"sha256": _sha256_file(directory / database_file)}}
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
    raw = json.dumps(manifest, indent=1, sort_keys=True).encode("utf-8")
    (directory / MANIFEST).write_bytes(raw)
    signed = signature(raw)
    if signed is not None:
        (directory / SIGNATURE).write_text(signed + "\n", encoding="ascii")
    return manifest


# A file of the backup: the database, or a file under media/ named by plain segments (no "..", ".", empty or
# absolute parts, no backslashes): what restore writes is always inside the media folder.
SEGMENT = re.compile(r"^(?!\.{1,2}$)[^/\\\x00]+$")


def _safe_name(name: Any) -> bool:
    if not isinstance(name, str):
        return False
    if name in (SQLITE_FILE, POSTGRES_FILE):
        return True
    parts = name.split("/")
    return len(parts) >= 2 and parts[0] == MEDIA and all(SEGMENT.match(part) for part in parts[1:])


def _manifest_problems(manifest: Any) -> list[str]:
    """What makes a manifest unusable before any file is looked at."""
    if not isinstance(manifest, dict) or manifest.get("planea_backup") != FORMAT:
        return [_("El manifiesto no es de una copia de Planea de este formato.")]
    files, rows, audit, database = (manifest.get(k) for k in ("files", "rows", "audit", "database"))
    if (
        not isinstance(files, dict)
        or not all(isinstance(e, dict) and isinstance(e.get("sha256"), str) for e in files.values())
        or not isinstance(rows, dict)
        or not all(isinstance(t, str) and isinstance(n, int) for t, n in rows.items())
        or not isinstance(audit, dict)
        or not isinstance(audit.get("last_hash"), str)
        or not isinstance(database, dict)
        or (database.get("vendor"), database.get("file"))
        not in (("sqlite", SQLITE_FILE), ("postgresql", POSTGRES_FILE))
        or database.get("file") not in files
    ):
        return [_("El manifiesto está incompleto o dañado.")]
    return [
        _("El manifiesto nombra un archivo que una copia de Planea no tiene: %(name)s") % {"name": name}
        for name in sorted(files)
        if not _safe_name(name)
    ]


def signature(manifest_bytes: bytes) -> str | None:
    """HMAC-SHA256 of the manifest with PLANEA_BACKUP_KEY, or None when no key is configured."""
    key = settings.PLANEA_BACKUP_KEY
    return hmac.new(key.encode(), manifest_bytes, hashlib.sha256).hexdigest() if key else None


def read_manifest(directory: Path) -> dict[str, Any]:
    """The manifest, once it is signed with PLANEA_BACKUP_KEY (when one is set), every file it lists is there with
    its SHA-256, nothing else is, and nothing in the folder is a link; BackupError otherwise."""
    path = directory / MANIFEST
    if not path.exists() and not path.is_symlink():
        raise BackupError(
            [_("«%(dir)s» no es una copia de Planea: falta %(file)s.") % {"dir": directory, "file": MANIFEST}]
        )
    if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_MANIFEST_BYTES:
        raise BackupError(
            [_("El manifiesto de «%(dir)s» no es un archivo de una copia de Planea.") % {"dir": directory}]
        )
    try:
        raw = path.read_bytes()
        manifest = json.loads(raw)
    except (OSError, ValueError, RecursionError) as exc:  # unreadable, not JSON, or nested past what JSON reads
        raise BackupError([_("El manifiesto de «%(dir)s» está dañado.") % {"dir": directory}]) from exc
    expected = signature(raw)
    if expected is not None:
        try:
            found = (directory / SIGNATURE).read_text(encoding="ascii").strip()
        except (FileNotFoundError, UnicodeDecodeError):
            found = ""
        if not hmac.compare_digest(found, expected):
            raise BackupError(
                [
                    _(
                        "La firma del manifiesto no coincide con PLANEA_BACKUP_KEY: la copia fue alterada o se "
                        "firmó con otra clave."
                    )
                ]
            )
    problems = _manifest_problems(manifest)
    if problems:
        raise BackupError(problems)
    present = {}
    for path in sorted(directory.rglob("*")):
        name = path.relative_to(directory).as_posix()
        if path.is_symlink():
            problems.append(_("%(name)s es un enlace; una copia de Planea no tiene enlaces.") % {"name": name})
        elif path.is_file():
            present[name] = path
    for name, entry in sorted(manifest["files"].items()):
        if name not in present:
            problems.append(_("Falta %(name)s, que el manifiesto registra.") % {"name": name})
        elif _sha256_file(present[name]) != entry["sha256"]:
            problems.append(_("%(name)s no coincide con su SHA-256 del manifiesto (fue alterado).") % {"name": name})
    listed = set(manifest["files"]) | {MANIFEST, SIGNATURE}
    problems += [_("%(name)s no está en el manifiesto.") % {"name": name} for name in present if name not in listed]
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
        raise BackupError(
            [
                _(
                    "La base de datos de destino (%(name)s) no está vacía; restaure en una base de datos nueva "
                    "(DATABASE_URL)."
                )
                % {"name": connection.settings_dict["NAME"]}
            ]
        )
    if vendor == "sqlite":
        target = Path(connection.settings_dict["NAME"])
        connection.close()
        source, copy = sqlite3.connect(directory / name), sqlite3.connect(target)
        try:
            source.backup(copy)
        except sqlite3.DatabaseError as exc:
            copy.close()
            target.unlink(missing_ok=True)  # it was empty: leave no half-copied database behind
            raise BackupError(
                [
                    _("%(name)s no es una base de datos SQLite que se pueda cargar: %(error)s")
                    % {"name": name, "error": exc}
                ]
            ) from exc
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


def _empty_folder(folder: Path) -> bool:
    return not folder.is_symlink() and (not folder.exists() or (folder.is_dir() and not any(folder.iterdir())))


def restore(directory: Path) -> RestoreReport:
    """Restore the backup in `directory` into the empty database and media folder of these settings, then check it."""
    manifest = read_manifest(directory)
    media_root = Path(settings.MEDIA_ROOT)
    if not _empty_folder(media_root):
        raise BackupError([_("La carpeta de archivos «%(dir)s» no está vacía.") % {"dir": media_root}])
    _load_database(directory, manifest)
    media_root.mkdir(parents=True, exist_ok=True)
    root = media_root.resolve()
    for name in manifest["files"]:
        if name.startswith(f"{MEDIA}/"):
            target = root.joinpath(*name.split("/")[1:])
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.resolve().is_relative_to(root):  # names are plain segments; this holds by construction
                raise BackupError([_("%(name)s quedaría fuera de la carpeta de archivos.") % {"name": name}])
            shutil.copyfile(directory / name, target)
    report = RestoreReport()
    tables = set(_tables())
    counts = _count_rows(_fetchone, sorted(tables & set(manifest["rows"])))
    report.tables, report.rows = len(counts), sum(counts.values())
    for table, rows in sorted(manifest["rows"].items()):
        if counts.get(table) != rows:
            report.problems.append(
                _("La tabla %(table)s tiene %(found)s filas y la copia registra %(expected)s.")
                % {"table": table, "found": counts.get(table, "—"), "expected": rows}
            )
    report.problems += [
        _("La tabla %(table)s no está en el manifiesto.") % {"table": table} for table in sorted(tables - set(counts))
    ]
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
    report.signed = signature((directory / MANIFEST).read_bytes()) is not None
    return report


def _fetchone(sql: str) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()
