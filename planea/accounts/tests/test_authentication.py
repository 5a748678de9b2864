"""Sign in, sign out, password change and lockout after repeated failures, all audited."""

import pytest
from django.test import Client

from planea.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def sign_in(client: Client, username: str, password: str):
    return client.post("/ingresar/", {"username": username, "password": password})


def test_sign_in_goes_to_the_inbox_and_is_audited(demo):
    client = Client()
    response = sign_in(client, "jefe_planes_programas", "planea2026")
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/").content.decode()
    assert "Bandeja" in home and "Marco Antonio Pérez Ajú" in home
    assert AuditEvent.objects.filter(action="login", actor_username="jefe_planes_programas").exists()


def test_wrong_password_gets_a_spanish_message(demo):
    response = sign_in(Client(), "jefe_planes_programas", "incorrecta")
    assert response.status_code == 200
    assert "Por favor, introduzca un nombre de usuario y clave correctos" in response.content.decode()
    assert AuditEvent.objects.filter(action="login_failed", object_repr="jefe_planes_programas").exists()


def test_lockout_after_repeated_failures(demo, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "estadistica", "mala").status_code == 200
    locked = sign_in(client, "estadistica", "mala")
    assert locked.status_code == 429
    assert "Acceso bloqueado temporalmente" in locked.content.decode()
    # Even the right password is refused while the lock lasts.
    again = sign_in(client, "estadistica", "planea2026")
    assert again.status_code == 429
    assert AuditEvent.objects.filter(action="lockout", object_repr="estadistica").exists()
    # Other people are not affected.
    assert sign_in(Client(), "jefe_planes_programas", "planea2026").status_code == 302


def test_sign_out_needs_post_and_is_audited(client_as):
    client = client_as("profesional_planes_programas")
    assert client.get("/salir/").status_code == 405
    response = client.post("/salir/")
    assert response.status_code == 302 and response["Location"] == "/ingresar/"
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(action="logout", actor_username="profesional_planes_programas").exists()


def test_password_change(client_as, demo):
    client = client_as("subdirector_planificacion")
    weak = client.post(
        "/cuenta/contrasena/", {"old_password": "planea2026", "new_password1": "123", "new_password2": "123"}
    )
    assert "La contraseña es demasiado corta" in weak.content.decode()
    response = client.post(
        "/cuenta/contrasena/",
        {"old_password": "planea2026", "new_password1": "Quetzal-2026-plan", "new_password2": "Quetzal-2026-plan"},
    )
    assert response.status_code == 302
    assert sign_in(Client(), "subdirector_planificacion", "Quetzal-2026-plan").status_code == 302
    event = AuditEvent.objects.filter(action="password_change", actor_username="subdirector_planificacion").get()
    assert "password" not in (event.after or {})


def test_inactive_person_cannot_sign_in(demo):
    person = demo["director_general"]
    person.is_active = False
    person.save()
    assert sign_in(Client(), "director_general", "planea2026").status_code == 200


def test_session_cookie_is_http_only(demo):
    client = Client()
    sign_in(client, "jefe_planes_programas", "planea2026")
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
