"""Production mode refuses to start without secrets and passes Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PLANEA_", "DJANGO_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", PLANEA_ENV="production", PLANEA_ALLOWED_HOSTS="planea.igm.local")
    assert result.returncode != 0
    assert "PLANEA_SECRET_KEY es obligatoria en producción" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", PLANEA_ENV="production", PLANEA_SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "PLANEA_ALLOWED_HOSTS es obligatoria" in result.stderr


def test_production_passes_check_deploy():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        PLANEA_ENV="production",
        PLANEA_SECRET_KEY="k3y-" + "a1B2c3D4e5F6g7H8" * 4,
        PLANEA_ALLOWED_HOSTS="planea.igm.local",
        PLANEA_TRUSTED_PROXIES="127.0.0.1",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_warns_without_trusted_proxies_and_refuses_a_bad_one():
    secrets = {"PLANEA_ENV": "production", "PLANEA_SECRET_KEY": "k3y-" + "a1B2c3D4e5F6g7H8" * 4}
    result = manage("check", "--deploy", PLANEA_ALLOWED_HOSTS="planea.igm.local", **secrets)
    assert "planea.W001" in result.stderr + result.stdout
    result = manage("check", PLANEA_ALLOWED_HOSTS="planea.igm.local", PLANEA_TRUSTED_PROXIES="proxy", **secrets)
    assert result.returncode != 0 and "«proxy» no es una dirección ni una red IP" in result.stderr


def test_development_defaults_are_safe_for_a_demo():
    result = manage("diffsettings", "--all")
    assert result.returncode == 0
    assert "SESSION_COOKIE_HTTPONLY = True" in result.stdout
    assert "'transaction_mode': 'IMMEDIATE'" in result.stdout


@pytest.mark.django_db
def test_check_deploy_on_the_database_warns_when_postgresql_runs_without_autovacuum():
    """planea.W002, run by `check --deploy --database default`, appears exactly when the PostgreSQL server has
    autovacuum off, and never on SQLite."""
    from django.core.checks import Tags, registry
    from django.db import connection

    from planea.core.checks import autovacuum

    assert autovacuum in registry.registry.get_checks(include_deployment_checks=True)
    assert Tags.database in autovacuum.tags
    found = [w.id for w in autovacuum(None, databases=["default"])]
    if connection.vendor != "postgresql":
        assert found == []
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        (state,) = cursor.fetchone()
    assert found == ([] if state == "on" else ["planea.W002"])
