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
