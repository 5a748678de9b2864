"""Sessions read with a statement written once behave as Django's database sessions."""

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from planea.accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_a_live_session_is_read_and_an_expired_or_unknown_one_is_empty():
    store = SessionStore()
    store["planea"] = "sí"
    store.create()
    assert SessionStore(store.session_key)["planea"] == "sí"
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    expired = SessionStore(store.session_key)
    assert expired.load() == {} and expired.session_key is None
    assert SessionStore("x" * 40).load() == {}
    assert SessionStore("y" * 400).load() == {}  # longer than the column: no row, no error


def test_signing_in_and_out_goes_through_these_sessions(client, demo):
    client.force_login(demo["jefe_planes_programas"])
    assert client.get("/").status_code == 200
    key = client.session.session_key
    assert isinstance(client.session, SessionStore) and Session.objects.filter(session_key=key).exists()
    client.post("/salir/")
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get("/").status_code == 302


def test_sessions_open_before_the_person_backend_stay_signed_in(client, demo):
    """A session that names Django's model backend, as those open at the deploy do, is moved to Planea's backend
    by the migration: its person stays signed in."""
    from importlib import import_module

    from django.apps import apps
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.db import connection

    migration = import_module("planea.accounts.migrations.0001_sessions_follow_the_person_backend")
    jefe = demo["jefe_planes_programas"]
    store = SessionStore()
    store[SESSION_KEY], store[BACKEND_SESSION_KEY] = str(jefe.pk), migration.OLD
    store[HASH_SESSION_KEY] = jefe.get_session_auth_hash()
    store.create()
    client.cookies["sessionid"] = store.session_key
    assert client.get("/").status_code == 302  # signed out, as Django treats an unknown backend

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection  # type: ignore[attr-defined]
    migration.forward(apps, editor)
    assert SessionStore(store.session_key)[BACKEND_SESSION_KEY] == migration.NEW
    assert client.get("/").status_code == 200
