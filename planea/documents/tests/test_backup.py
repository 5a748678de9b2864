"""Backup → restore into a fresh database and media folder, on the database the suite runs on (SQLite or
PostgreSQL): equal row counts, an intact audit chain ending in the same hash, every document verified. A copy that
does not match its manifest, or a database that is not empty, is refused with nothing restored."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg import sql

from planea.audit.models import AuditHead
from planea.documents.backup import BackupError, read_manifest
from planea.documents.kinds import DocumentKind
from planea.documents.models import Document, Origin
from planea.documents.services import store
from planea.documents.verify import verify_documents

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(settings.BASE_DIR)


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def fresh_database(tmp_path) -> Iterator[str]:
    """The URL of a new, empty database of the suite's kind; dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restaurada.sqlite3'}"
        return
    config = connection.settings_dict
    name = f"planea_restore_{uuid.uuid4().hex[:10]}"
    admin: dict[str, Any] = {"dbname": "postgres", "user": config["USER"] or None, "host": config["HOST"] or None}
    admin |= {"port": config["PORT"] or None, "password": config["PASSWORD"] or None, "autocommit": True}
    with psycopg.connect(**admin) as pg:
        pg.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    auth = f"{config['USER']}:{config['PASSWORD']}@" if config["PASSWORD"] else f"{config['USER']}@"
    yield f"postgres://{auth}{config['HOST'] or 'localhost'}:{config['PORT'] or 5432}/{name}"
    with psycopg.connect(**admin) as pg:
        pg.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def manage(*args: str, database_url: str, media_root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url, "PLANEA_MEDIA_ROOT": str(media_root)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def stored_documents(demo) -> list[Document]:
    actor = demo["jefe_planes_programas"]
    return [
        store(
            content=b"%PDF-1.4 oficio " + bytes([n]) * 2000,
            filename=f"oficio {n}.pdf",
            kind=DocumentKind.OFICIO,
            title=f"Oficio {n}",
            actor=actor,
            origin=Origin.UPLOADED,
        )
        for n in range(3)
    ]


def table_rows(manifest: dict[str, Any]) -> dict[str, int]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        counts = {}
        for table in manifest["rows"]:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def test_backup_and_restore_into_a_fresh_database_keep_everything(plans, demo, media, tmp_path, fresh_database):
    documents = stored_documents(demo)
    copy = tmp_path / "copia"
    call_command("backup", str(copy))
    manifest = json.loads((copy / "manifest.json").read_text())
    head = AuditHead.objects.get()
    assert manifest["audit"] == {"last_seq": head.last_seq, "last_hash": head.last_hash}
    assert manifest["rows"] == table_rows(manifest) and manifest["rows"]["operations_physicalgoal"] > 10
    assert manifest["database"]["vendor"] == connection.vendor
    for document in documents:
        assert manifest["files"][f"media/{document.file.name}"]["sha256"] == document.sha256

    restored_media = tmp_path / "media-restaurada"
    done = manage("restore", str(copy), database_url=fresh_database, media_root=restored_media)
    assert done.returncode == 0, done.stderr
    assert "Copia restaurada y verificada" in done.stdout and head.last_hash in done.stdout
    assert f"{sum(manifest['rows'].values()):,} filas en {len(manifest['rows'])} tablas" in done.stdout
    checked = manage("verify_documents", database_url=fresh_database, media_root=restored_media)
    assert checked.returncode == 0 and "3 documentos verificados" in checked.stdout
    chain = manage("audit_verify", database_url=fresh_database, media_root=restored_media)
    assert chain.returncode == 0 and head.last_hash in chain.stdout

    again = manage("restore", str(copy), database_url=fresh_database, media_root=tmp_path / "otra")
    assert again.returncode == 1 and "La base de datos de destino (" in again.stderr and "no está vacía" in again.stderr


def test_a_copy_that_does_not_match_its_manifest_is_refused(plans, demo, media, tmp_path):
    documents = stored_documents(demo)
    copy = tmp_path / "copia"
    call_command("backup", str(copy))
    altered = copy / "media" / documents[0].file.name
    altered.write_bytes(altered.read_bytes()[:-1] + b"X")
    (copy / "media" / documents[1].file.name).unlink()
    (copy / "media" / "intruso.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(BackupError) as refused:
        read_manifest(copy)
    problems = "\n".join(refused.value.problems)
    assert f"media/{documents[0].file.name} no coincide con su SHA-256 del manifiesto" in problems
    assert f"Falta media/{documents[1].file.name}" in problems
    assert "media/intruso.pdf no está en el manifiesto" in problems
    events = AuditHead.objects.get().last_seq
    with pytest.raises(CommandError, match="No se restauró nada"):
        call_command("restore", str(copy))
    assert AuditHead.objects.get().last_seq == events  # nothing loaded over the running database


def test_backup_refuses_a_folder_in_use_and_restore_a_folder_without_manifest(plans, tmp_path):
    used = tmp_path / "usada"
    used.mkdir()
    (used / "algo.txt").write_text("x")
    with pytest.raises(CommandError, match="no está vacía"):
        call_command("backup", str(used))
    with pytest.raises(CommandError, match="no es una copia de Planea: falta manifest.json"):
        call_command("restore", str(used))


def test_verify_documents_reports_missing_and_altered_files(demo, media):
    documents = stored_documents(demo)
    Path(documents[0].file.path).write_bytes(b"otro contenido")
    Path(documents[1].file.path).unlink()
    report = verify_documents()
    assert report.checked == 3
    assert {(p.document_id, p.problem) for p in report.problems} == {
        (documents[0].pk, "altered"),
        (documents[1].pk, "missing"),
    }
    with pytest.raises(CommandError, match="2 documentos con problemas de 3 verificados"):
        call_command("verify_documents")


def rewrite_manifest(copy: Path, change) -> None:
    manifest = json.loads((copy / "manifest.json").read_text())
    change(manifest)
    (copy / "manifest.json").write_text(json.dumps(manifest))


@pytest.mark.parametrize(
    "name",
    [
        "media//tmp/planea-fuera/evil.txt",
        "media/../evil.txt",
        "media/a/../../evil.txt",
        "/tmp/evil.txt",
        "media\\..\\x",
    ],
)
def test_a_manifest_naming_a_file_outside_the_media_folder_is_refused(plans, demo, media, tmp_path, name):
    copy = tmp_path / "copia"
    stored_documents(demo)
    call_command("backup", str(copy))
    evil = copy / "media" / "evil.txt"
    evil.write_bytes(b"evil")
    digest = {"sha256": hashlib.sha256(b"evil").hexdigest(), "size": 4}
    rewrite_manifest(copy, lambda m: m["files"].update({name: digest, "media/evil.txt": digest}))
    with pytest.raises(BackupError) as refused:
        read_manifest(copy)
    assert f"El manifiesto nombra un archivo que una copia de Planea no tiene: {name}" in refused.value.problems


def test_a_database_file_outside_the_manifest_or_a_link_in_the_copy_is_refused(plans, media, tmp_path):
    copy = tmp_path / "copia"
    call_command("backup", str(copy))
    database = json.loads((copy / "manifest.json").read_text())["database"]["file"]
    outside = copy.parent / "otra.sqlite3"
    outside.write_bytes(b"x")
    rewrite_manifest(copy, lambda m: m["database"].update({"file": str(outside)}))
    with pytest.raises(BackupError, match="incompleto o dañado"):
        read_manifest(copy)
    rewrite_manifest(copy, lambda m: m["database"].update({"file": database}))
    (copy / "media").mkdir(exist_ok=True)
    (copy / "media" / "enlace").symlink_to(tmp_path)
    with pytest.raises(BackupError, match="media/enlace es un enlace"):
        read_manifest(copy)


def test_a_signed_copy_altered_with_its_manifest_is_refused(plans, media, tmp_path, settings):
    settings.PLANEA_BACKUP_KEY = "clave guardada fuera de los discos de respaldo"
    copy = tmp_path / "copia"
    call_command("backup", str(copy))
    assert read_manifest(copy)["planea_backup"] == 1  # signed and whole
    database = json.loads((copy / "manifest.json").read_text())["database"]["file"]
    (copy / database).write_bytes((copy / database).read_bytes() + b"cambio")
    altered = {"sha256": hashlib.sha256((copy / database).read_bytes()).hexdigest()}
    rewrite_manifest(copy, lambda m: m["files"][database].update(altered))
    with pytest.raises(BackupError, match="La firma del manifiesto no coincide con PLANEA_BACKUP_KEY"):
        read_manifest(copy)
    settings.PLANEA_BACKUP_KEY = "otra clave"
    with pytest.raises(BackupError, match="La firma del manifiesto no coincide"):
        read_manifest(copy)


def test_restore_refuses_a_media_folder_that_is_a_link_or_holds_anything(plans, media, tmp_path, settings):
    copy = tmp_path / "copia"
    call_command("backup", str(copy))
    settings.MEDIA_ROOT = tmp_path / "enlace"
    settings.MEDIA_ROOT.symlink_to(tmp_path / "vacia", target_is_directory=True)
    (tmp_path / "vacia").mkdir()
    with pytest.raises(CommandError, match="no está vacía"):
        call_command("restore", str(copy))
    settings.MEDIA_ROOT = tmp_path / "con-trabajos"
    (settings.MEDIA_ROOT / "jobs").mkdir(parents=True)
    with pytest.raises(CommandError, match="no está vacía"):
        call_command("restore", str(copy))


@pytest.mark.parametrize("kind", ["folder", "link", "nested"])
def test_a_manifest_that_is_not_a_readable_json_file_is_refused_in_spanish(plans, media, tmp_path, kind):
    copy = tmp_path / "copia"
    call_command("backup", str(copy))
    manifest = copy / "manifest.json"
    manifest.unlink()
    if kind == "folder":
        manifest.mkdir()
    elif kind == "link":
        manifest.symlink_to("/dev/zero")
    else:
        manifest.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(
        CommandError, match="No se restauró nada:\nEl manifiesto de «.*» (no es un archivo|está dañado)"
    ):
        call_command("restore", str(copy))


def test_verify_documents_reports_a_folder_in_place_of_a_file_as_missing(demo, media):
    documents = stored_documents(demo)
    path = Path(documents[0].file.path)
    path.unlink()
    path.mkdir()
    report = verify_documents()
    assert [(p.document_id, p.problem) for p in report.problems] == [(documents[0].pk, "missing")]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite copy of a backup")
def test_a_database_file_that_is_no_database_is_refused_and_leaves_nothing(plans, media, tmp_path, fresh_database):
    copy = tmp_path / "copia"
    call_command("backup", str(copy))
    (copy / "database.sqlite3").write_bytes(b"no es una base de datos " * 1000)
    rewrite_manifest(
        copy,
        lambda m: m["files"]["database.sqlite3"].update(
            sha256=hashlib.sha256((copy / "database.sqlite3").read_bytes()).hexdigest()
        ),
    )
    done = manage("restore", str(copy), database_url=fresh_database, media_root=tmp_path / "media-restaurada")
    assert done.returncode == 1 and "database.sqlite3 no es una base de datos SQLite que se pueda cargar" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "restaurada.sqlite3").exists()
