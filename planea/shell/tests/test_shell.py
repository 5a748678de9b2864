"""The Spanish shell: formats, language switch, security headers, offline assets, error pages."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import formats, translation

from planea.core.templatetags.planea import quetzales

pytestmark = pytest.mark.django_db


def test_guatemalan_formats():
    with translation.override("es"):
        assert formats.date_format(dt.date(2026, 3, 9)) == "09/03/2026"
        assert formats.number_format(Decimal("1234567.891"), 2, use_l10n=True, force_grouping=True) == "1,234,567.89"
        rendered = Template("{% load l10n %}{{ d|date:'SHORT_DATE_FORMAT' }}").render(
            Context({"d": dt.date(2026, 12, 1)})
        )
        assert rendered == "01/12/2026"
    assert quetzales(Decimal("1234.5")) == "Q 1,234.50"
    assert quetzales(-0.125) == "-Q 0.13"
    assert quetzales(None) == ""


def test_pages_are_in_spanish_and_switch_to_english(client_as):
    client = client_as("jefe_planes_programas")
    page = client.get("/").content.decode()
    assert '<html lang="es">' in page and "Tareas pendientes" in page and "Cerrar sesión" in page
    response = client.post("/idioma/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    english = client.get("/").content.decode()
    assert '<html lang="en">' in english and "Pending tasks" in english and "Sign out" in english


def test_an_english_browser_still_gets_spanish_until_english_is_chosen(client_as):
    client = client_as("jefe_planes_programas")
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="es">' in page and "Tareas pendientes" in page
    client.post("/idioma/", {"language": "en", "next": "/"})
    assert "Pending tasks" in client.get("/", HTTP_ACCEPT_LANGUAGE="es-GT").content.decode()


def test_security_headers_and_no_external_assets(client_as):
    response = client_as("administrador").get("/organizacion/centros-de-costo/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    html = response.content.decode()
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    assert external == []
    assert "<script>" not in html and "style=" not in html


def test_vendor_assets_are_served_from_the_project(client):
    for path in (
        "/static/vendor/bootstrap/css/bootstrap.min.css",
        "/static/vendor/htmx/htmx.min.js",
        "/static/vendor/bootstrap-icons/bootstrap-icons.min.css",
        "/static/vendor/bpmn-js/bpmn-navigated-viewer.production.min.js",
        "/static/vendor/chart.js/chart.umd.min.js",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        response.close()


def test_friendly_404_and_403_in_spanish(client_as):
    client = client_as("profesional_planes_programas")
    missing = client.get("/no-existe/")
    assert missing.status_code == 404
    denied = client.get("/auditoria/")
    assert denied.status_code == 403
    assert "Su rol no permite abrir esta página" in denied.content.decode()


def test_the_500_page_is_spanish_and_styled_without_context_processors(client_as, monkeypatch):
    def broken(user):
        raise RuntimeError("falla de prueba")

    monkeypatch.setattr("planea.shell.views.inbox_rows", broken)
    client = client_as("jefe_planes_programas")
    client.raise_request_exception = False
    response = client.get("/")
    page = response.content.decode()
    assert response.status_code == 500 and "Error del sistema" in page and "falla de prueba" not in page
    assert re.search(r'<link rel="stylesheet" href="/static/[^"]*bootstrap\.min[^"]*\.css">', page)
    assert re.search(r'<script src="/static/[^"]*htmx\.min[^"]*\.js"></script>', page)
    assert 'action="/idioma/"' not in page  # no language form without a request to return to and its token


def test_the_language_menu_names_each_language_in_itself(client_as):
    client = client_as("jefe_planes_programas")
    spanish = client.get("/").content.decode()
    assert '<option value="es" selected>Español</option><option value="en">English</option>' in spanish
    client.post("/idioma/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert '<option value="es">Español</option><option value="en" selected>English</option>' in page
    assert 'action="/idioma/"' in page and 'name="next" type="hidden" value="/"' in page
    assert 'action="/salir/"' in page and 'name="csrfmiddlewaretoken"' in page


def test_health_probe_is_public(client, db):
    assert client.get("/salud/").json() == {"status": "ok"}


def test_every_role_sees_its_home(client_as):
    from planea.org.roles import Role

    for role in Role:
        page = client_as(role.value).get("/").content.decode()
        assert 'data-testid="inbox-empty"' in page, role
        assert f'data-role="{role.value}"' in page, role


def test_a_part_of_a_page_asked_without_a_session_sends_the_whole_page_to_sign_in(client):
    response = client.post(
        "/pasos/1/tomar/", HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="http://testserver/expedientes/3/?x=1"
    )
    assert response.status_code == 204 and response["HX-Redirect"] == "/ingresar/?next=/expedientes/3/%3Fx%3D1"
    plain = client.post("/pasos/1/tomar/")
    assert plain.status_code == 302 and plain["Location"].startswith("/ingresar/?next=")


def test_the_page_says_why_a_part_updated_in_place_was_refused(client_as):
    page = client_as("jefe_planes_programas").get("/").content.decode()
    assert 'data-request-failed="La acción no se completó (error %(status)s)' in page


def test_the_menu_opens_as_the_person_left_it_and_a_forged_choice_is_ignored(client_as):
    """The menu's cookie (planea.js) sets the page's class for a known choice only: nothing else reaches the page."""
    client = client_as("jefe_planes_programas")
    assert "<body hx-headers" in client.get("/").content.decode()  # no choice yet: the screen's width decides
    assert 'data-menu-toggle aria-controls="menu-principal"' in client.get("/").content.decode()
    for state in ("collapsed", "open"):
        client.cookies["planea_menu"] = state
        assert f'<body class="menu-{state}" hx-headers' in client.get("/").content.decode()
    client.cookies["planea_menu"] = 'x" onload="alert(1)'
    page = client.get("/").content.decode()
    assert "<body hx-headers" in page and "alert(1)" not in page
