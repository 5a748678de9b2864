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
    page = response.content.decode()
    assert "El usuario o la contraseña no son correctos." in page
    assert "introduzca" not in page.casefold() and "clave correctos" not in page  # Planea's words, not Spain's
    assert AuditEvent.objects.filter(action="login_failed", object_repr="jefe_planes_programas").exists()


def test_lockout_after_repeated_failures(demo, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "estadistica", "mala").status_code == 200
    locked = sign_in(client, "estadistica", "mala")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Acceso bloqueado temporalmente" in page and "con este usuario" in page
    assert "queda bloqueado durante 15 minutos" in page and 'href="/ingresar/"' in page
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
    wrong = client.post(
        "/cuenta/contrasena/", {"old_password": "otra", "new_password1": "Quetzal-2026-p", "new_password2": "Q-2026"}
    ).content.decode()
    assert "La contraseña actual no es correcta; escríbala de nuevo." in wrong
    assert "Las dos contraseñas nuevas no son iguales; escríbalas de nuevo." in wrong
    assert "vuelva a introducirla" not in wrong
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


def test_a_flood_of_random_user_names_locks_the_address_and_writes_few_events(demo, settings):
    settings.PLANEA_LOGIN_ADDRESS_FAILURE_LIMIT = 20
    client = Client(REMOTE_ADDR="10.9.8.7")
    before = AuditEvent.objects.count()
    answers = [sign_in(client, f"nadie{n:03d}", "mala").status_code for n in range(60)]
    assert answers[:19] == [200] * 19 and set(answers[19:]) == {429}  # the 20th failure locks the address
    refused = sign_in(client, "jefe_planes_programas", "planea2026")  # the address, whoever it is
    assert refused.status_code == 429 and "desde este equipo, con distintos usuarios" in refused.content.decode()
    events = AuditEvent.objects.filter(seq__gt=before)
    assert sorted(events.values_list("action", flat=True)) == ["lockout", "login_failed"]
    assert events.get(action="lockout").after["failures_from_address"] == 20
    assert sign_in(Client(REMOTE_ADDR="10.9.8.8"), "jefe_planes_programas", "planea2026").status_code == 302


def proxied(forwarded_for: str, remote: str = "127.0.0.1") -> Client:
    return Client(REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded_for)


def test_behind_a_trusted_proxy_each_person_keeps_their_own_address(demo, settings):
    settings.PLANEA_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/24"]
    # The proxy adds the address it saw to what the client sent: a forged first entry is not believed.
    attacker = proxied("203.0.113.9, 192.168.5.20, 10.0.0.3")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(attacker, "estadistica", "mala")
    assert sign_in(attacker, "estadistica", "planea2026").status_code == 429
    # Another office PC behind the same proxy is not locked out of the same account.
    assert sign_in(proxied("192.168.5.21, 10.0.0.3"), "estadistica", "planea2026").status_code == 302
    failed = AuditEvent.objects.get(action="login_failed", object_repr="estadistica")
    assert failed.object_id == "192.168.5.20" and "192.168.5.20" in failed.summary
    login = AuditEvent.objects.filter(action="login", actor_username="estadistica").latest("seq")
    assert "192.168.5.21" in login.summary


def test_forwarded_headers_from_an_untrusted_address_are_ignored(demo, settings):
    settings.PLANEA_TRUSTED_PROXIES = ["127.0.0.1"]
    forged = proxied("192.168.5.99", remote="10.1.1.1")  # not through the proxy: the header is the client's own
    sign_in(forged, "nadie", "mala")
    assert AuditEvent.objects.get(action="login_failed", object_repr="nadie").object_id == "10.1.1.1"
    malformed = proxied("no-es-una-ip, 127.0.0.1")
    sign_in(malformed, "otro", "mala")
    assert AuditEvent.objects.filter(action="login_failed", object_id="127.0.0.1").exists()


def test_a_very_long_user_name_is_a_failed_sign_in_not_a_500(demo):
    response = sign_in(Client(), "x" * 300, "mala")
    assert response.status_code == 200
    assert AuditEvent.objects.get(action="login_failed").object_repr == "x" * 150
