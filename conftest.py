"""Shared fixtures: the demo organization, signed-in clients per role and a headless Chromium."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.test import Client

# Playwright's sync API keeps an event loop in the test thread; Django must still allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("PLANEA_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "test-artifacts"


@pytest.fixture(autouse=True)
def fast_settings(settings: object) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def spanish() -> Iterator[None]:
    """Each test starts in Spanish, as every request does: a request in English earlier in the same thread (the
    language middleware activates a language and never deactivates it) must not leak into the next test."""
    from django.utils import translation

    translation.activate("es")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def media_root(settings: object, tmp_path: Path) -> Path:
    """Uploaded and issued documents go to a folder of the test, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    return settings.MEDIA_ROOT  # type: ignore[attr-defined]


@pytest.fixture
def demo(db: None) -> dict[str, object]:
    """The IGM-like demo organization; returns the demo people keyed by role slug."""
    from planea.org.demo import seed_organization
    from planea.org.models import Person

    seed_organization()
    return {p.username: p for p in Person.objects.all()}


@pytest.fixture
def client_as(demo: dict[str, object]) -> Callable[[str], Client]:
    def make(role: str) -> Client:
        client = Client()
        client.force_login(demo[role])  # type: ignore[arg-type]
        return client

    return make


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"No se encontró Chromium en {CHROMIUM}: ejecute scripts/setup --dev")
    with sync_playwright() as pw:
        instance = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser: object, live_server: object) -> Iterator[object]:
    context = browser.new_context(locale="en-US", base_url=live_server.url)  # type: ignore[attr-defined]
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.csp_errors = errors  # type: ignore[attr-defined]
    # Offline: record (and refuse) any request that would leave the server.
    outside: list[str] = []

    def guard(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if url.startswith(live_server.url) or url.startswith("data:"):  # type: ignore[attr-defined]
            route.continue_()  # type: ignore[attr-defined]
        else:
            outside.append(url)
            route.abort()  # type: ignore[attr-defined]

    context.route("**/*", guard)
    page.outside_requests = outside  # type: ignore[attr-defined]
    yield page
    context.close()


def screenshot(page: object, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path


def sign_in(page: object, username: str, password: str = "planea2026") -> None:
    page.goto("/ingresar/")  # type: ignore[attr-defined]
    page.get_by_label("Usuario").fill(username)  # type: ignore[attr-defined]
    page.get_by_label("Contraseña").fill(password)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Ingresar").click()  # type: ignore[attr-defined]
    page.wait_for_load_state("load")  # type: ignore[attr-defined]  # scripts at the end of <body> have run
