"""kill -9 in the middle of a set-based goals import: the process is killed after its UPDATE and INSERT ran, inside
the transaction and before the audit event and the commit. Nothing is written, the audit chain stays intact, and
the next import goes through (no lock, staging table or half-written row is left behind). On SQLite and PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from planea.audit.models import AuditEvent, AuditHead
from planea.audit.verify import verify_chain
from planea.operations.goals_excel import export_goals, import_goals

from .test_goals_excel import edit, snapshot
from .test_import_jobs import raise_every_goal

pytestmark = pytest.mark.django_db(transaction=True)

# Runs the import of a file in a child process that stops, holding its transaction, right after the set-based
# writes: it says "escrito" and waits on its standard input, where the test kills it.
CHILD = """
import sys

import django

django.setup()
from planea.operations import goals, goals_excel
from planea.org.models import Person

apply = goals._apply


def apply_then_wait(*args, **kwargs):
    apply(*args, **kwargs)
    print("escrito", flush=True)
    sys.stdin.readline()


goals._apply = apply_then_wait
with open(sys.argv[1], "rb") as stream:
    goals_excel.import_goals(stream.read(), Person.objects.get(username="jefe_planes_programas"), filename="x.xlsx")
print("terminado", flush=True)
"""


def database_url() -> str:
    config = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{config['NAME']}"
    auth = f"{config['USER']}:{config['PASSWORD']}@" if config["PASSWORD"] else f"{config['USER']}@"
    return f"postgres://{auth}{config['HOST'] or 'localhost'}:{config['PORT'] or 5432}/{config['NAME']}"


def test_a_goals_import_killed_mid_write_leaves_nothing_and_the_next_one_works(plans, demo, tmp_path):
    poa = plans["poa"]
    data = edit(export_goals(poa), raise_every_goal)
    path = tmp_path / "metas.xlsx"
    path.write_bytes(data)
    before, head = snapshot(poa), AuditHead.objects.get()
    env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "planea.settings"}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path)],
        cwd=Path(settings.BASE_DIR),
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        said = child.stdout.readline().strip()
        assert said == "escrito", child.stderr.read()
        assert snapshot(poa) == before  # written but not committed: nobody else sees it
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    assert snapshot(poa) == before
    assert AuditHead.objects.get().last_hash == head.last_hash
    assert not AuditEvent.objects.filter(seq__gt=head.last_seq).exists()
    assert verify_chain().ok

    result = import_goals(data, demo["jefe_planes_programas"], filename="metas.xlsx")
    assert result.changed > 0 and snapshot(poa) != before
    assert verify_chain().ok
