"""Shared fixtures: the demo organization, signed-in clients per role and a headless Chromium."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

# Playwright's sync API keeps an event loop in the test thread; Django must still allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Forecasts fit their series in this process: pytest-xdist already keeps both cores busy, and a process pool forked
# from an xdist worker inherits the worker's channel to the controller, whose end it closes on exit (the worker then
# stops answering and the run hangs). The pool itself is measured by bench/forecast_scale.py.
os.environ.setdefault("PLANEA_FORECAST_JOBS", "1")

CHROMIUM = os.environ.get("PLANEA_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "test-artifacts"


class GoalCell:
    """One cell of a goal row, as tests read it: its programmed and current value, and its row."""

    def __init__(self, row: Any, month: int) -> None:
        self.row, self.month = row, month
        self.planned: int = row.value("planned", month)
        self.current: int = row.value("current", month)
        self.cost_center_id: int = row.cost_center_id


def goal_cell(plan: Any, subproduct: Any, cost_center: Any, month: int, year: int = 2026) -> GoalCell:
    """The stored goal of one month (0: a POM's year); `cost_center` an instance or its code. DoesNotExist when the
    cost center has no goals that year."""
    from planea.operations.models import PhysicalGoal

    where = {"cost_center__code": cost_center} if isinstance(cost_center, str) else {"cost_center": cost_center}
    row = PhysicalGoal.objects.get(plan=plan, subproduct=subproduct, year=year, **where)
    return GoalCell(row, month)


def grid_url(plans: dict[str, Any]) -> str:
    """The goal grid of the test POA's subproduct P02-02 (`plans` fixture)."""
    return f"/planes/{plans['poa'].pk}/metas/?subproducto={plans['land'].pk}"


def form_of(page: str) -> dict[str, str]:
    """The goal cells a grid page posts back: field name → value."""
    return dict(re.findall(r'name="([co]-\d+-\d+-\d+)" value="([^"]*)"', page))


def put_goal(plan: Any, subproduct: Any, cost_center: Any, month: int, planned: int, current: int | None = None) -> Any:
    """Store one goal as a test's starting point (the row of 2026 is created when missing)."""
    from planea.operations.models import PhysicalGoal, goal_column

    row = PhysicalGoal.objects.get_or_create(plan=plan, subproduct=subproduct, cost_center=cost_center, year=2026)[0]
    setattr(row, goal_column("planned", month), planned)
    setattr(row, goal_column("current", month), planned if current is None else current)
    row.save()
    return row


@pytest.fixture(autouse=True)
def fast_settings(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    """Every test starts with an empty cache (what a page remembered belongs to another test's data)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def spanish() -> Iterator[None]:
    """Each test starts in Spanish, as every request does: a request in English earlier in the same thread (the
    language middleware activates a language and never deactivates it) must not leak into the next test."""
    from django.utils import translation

    translation.activate("es")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    """Uploaded and issued documents go to a folder of the test, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def demo(db: None) -> dict[str, Any]:
    """The IGM-like demo organization; returns the demo people keyed by role slug."""
    from planea.org.demo import seed_organization
    from planea.org.models import Person

    seed_organization()
    return {p.username: p for p in Person.objects.all()}


@pytest.fixture
def plans(demo: dict[str, object]) -> dict[str, object]:
    return build_plans(demo)


def build_plans(people: dict[str, Any]) -> dict[str, Any]:
    """An approved PEI (the demo content), a draft POM 2026-2030 and a draft POA 2026 with demo goals for the land
    posts (P02-02), a small input catalog, a matrix line and a ceiling. Returns them by name; built once."""
    from decimal import Decimal

    from django.db import transaction

    from planea.operations import goals
    from planea.operations.ceilings import set_ceilings
    from planea.operations.demo import goal_values
    from planea.operations.models import InputCatalogItem, InputRequirement, OperationalPlan, PlanKind
    from planea.operations.plans import create_plan
    from planea.strategy import lifecycle as strategy_lifecycle
    from planea.strategy.demo import build_content
    from planea.strategy.models import StrategicPlan
    from planea.strategy.plans import create_plan as create_pei

    existing = StrategicPlan.objects.filter(code="PEI-2021-2030").first()
    if existing is not None:
        poa = OperationalPlan.objects.get(code="POA-2026")
        return {
            "pei": existing,
            "pom": poa.multiannual,
            "poa": poa,
            "land": existing.subproducts.get(code="P02-02"),
            "fuel": InputCatalogItem.objects.get(code="262-0101"),
        }
    jefe = people["jefe_planes_programas"]
    pei = create_pei(actor=jefe, code="PEI-2021-2030", name="PEI 2021-2030", start_year=2021, end_year=2030)
    build_content(pei, jefe)
    strategy_lifecycle.approve(pei, actor=jefe)
    pom = create_plan(kind=PlanKind.MULTIANNUAL, start_year=2026, strategic_plan=pei, actor=jefe)
    poa = create_plan(kind=PlanKind.ANNUAL, start_year=2026, strategic_plan=pei, actor=jefe, multiannual=pom)
    land = pei.subproducts.get(code="P02-02")
    for plan in (pom, poa):
        values = {k: v for k, v in goal_values(plan).items() if k[0] == land.pk}
        with transaction.atomic():  # the plan row is locked while its goals are written
            goals.write(goals.lock_plan(plan), values, actor=jefe, action="goals_imported", summary="%(n)s")
    fuel = InputCatalogItem.objects.create(
        code="262-0101",
        name="Gasolina súper",
        budget_line="262",
        unit="galón",
        unit_price=Decimal("31.50"),
        monthly=True,
    )
    InputCatalogItem.objects.create(
        code="241-0101", name="Papel bond carta", budget_line="241", unit="resma", unit_price=Decimal("42.00")
    )
    area = land.responsible_units.first()
    assert area is not None
    InputRequirement.objects.create(
        plan=poa,
        org_unit=area,
        subproduct=land,
        item=fuel,
        month=1,
        quantity=Decimal(100),
        unit_price=fuel.unit_price,
    )
    set_ceilings(poa, {(land.product_id, None): Decimal("5000.00")}, actor=people["subdireccion_financiera"])
    return {"pei": pei, "pom": pom, "poa": poa, "land": land, "fuel": fuel}


@pytest.fixture(autouse=True)
def reprogramming_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests reprogram the fixtures' POA 2026 as on 1 January 2026, when none of its months has passed; a test of
    past months sets its own date (operations/tests/test_reprogramming.py)."""
    import datetime

    from planea.operations import reprogramming

    monkeypatch.setattr(reprogramming, "today", lambda: datetime.date(2026, 1, 1))


@pytest.fixture
def client_as(demo: dict[str, object]) -> Callable[[str], Client]:
    def make(role: str) -> Client:
        client = Client()
        client.force_login(demo[role])  # type: ignore[arg-type]
        return client

    return make


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
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
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(locale="en-US", base_url=live_server.url)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.csp_errors = errors
    # Offline: record (and refuse) any request that would leave the server.
    outside: list[str] = []

    def guard(route: Any) -> None:
        url = route.request.url
        if url.startswith(live_server.url) or url.startswith("data:"):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    page.outside_requests = outside
    yield page
    context.close()


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page: Any, username: str, password: str = "planea2026") -> None:
    page.goto("/ingresar/")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_load_state("load")  # scripts at the end of <body> have run
