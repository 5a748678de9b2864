"""Every URL, as a person allowed to open it, with malformed query parameters and form fields: letters where a
number goes, negative and enormous numbers, impossible dates, NUL characters, digits of other scripts, injection
attempts and very long text. The answer may be a refusal, a redirect or the page without the filter, never a 5xx."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from planea.org.access import POLICIES
from planea.shell.tests.test_authorization_matrix import SAMPLES, named_patterns, sample_plans, view_names

pytestmark = pytest.mark.django_db

MALFORMED = [
    "abc",
    "-1",
    "99999999999999999999999",
    "31/12/9999",
    "nul\x00byte",
    "１２",
    "' OR '1'='1 <script>",
    "x" * 5000,
]
POSTED = MALFORMED[:2] + MALFORMED[4:6]  # forms: letters, a negative, NUL, fullwidth digits
# Views that generate a document whatever the parameters: one malformed request each is enough.
GENERATING = {"operations:anteproyecto_pdf", "operations:anteproyecto_xlsx", "procedures:manual_pdf"}
# Every query parameter a view reads, and the form fields views read by hand.
QUERY = [
    "q", "kind", "department", "unit", "role", "object", "person", "action", "desde", "hasta", "pagina", "area",
    "medida", "subproducto", "renglon", "a", "b", "todo", "version", "download", "procedimiento", "estado",
    "completado", "descargar", "anio", "centro", "variable", "nivel",
]  # fmt: skip
FORM = [
    "decision", "note", "justification", "observations", "comment", "title", "subject", "slot", "person", "reason",
    "days_1", "days_4", "c-1-2026-1", "o-1-2026-1", "t-1-0", "start_year", "end_year", "strategic_plan",
    "multiannual", "code", "name", "file", "subproducto", "level", "parent", "baseline_year", "baseline_value", "start",
    "periodo-first", "periodo-last", "periodo-treatment", "periodo-reason", "periodo-all_variables",
    "target_year",
]  # fmt: skip
# Who opens each URL: the first of these roles that the policy allows.
ROLES = [
    "administrador",
    "jefe_planes_programas",
    "subdirector_planificacion",
    "subdireccion_financiera",
    "subdireccion_tecnica_administrativa",
    "enlace_area",
    "estadistica",
]


def test_no_view_answers_5xx_to_malformed_parameters(demo):
    clients = {}
    for role in ROLES:
        clients[role] = Client(raise_request_exception=False)
        clients[role].force_login(demo[role])
    failures = []
    for name in view_names():
        if name == "accounts:logout":
            continue  # it would end the session of every request after it
        policy = POLICIES[name]
        allowed = next((r for r in ROLES if policy.allows(demo[r])), None)
        client = clients[allowed] if allowed else Client(raise_request_exception=False)
        url = reverse(name, kwargs=SAMPLES.get(name, lambda u: {})(demo[allowed] if allowed else None))
        for value in MALFORMED[:1] if name in GENERATING else MALFORMED:
            requests = [("get", {k: value for k in QUERY})]
            if value in POSTED:
                requests.append(("post", {k: value for k in FORM}))
            for method, data in requests:
                response = getattr(client, method)(url, data)
                if allowed and response.status_code == 302 and "/ingresar/" in response["Location"]:
                    failures.append(f"{allowed} was signed out by {method.upper()} {name}")
                if response.status_code >= 500:
                    failures.append(f"{method.upper()} {name} {url} {value[:20]!r}: {response.status_code}")
    assert not failures, "\n".join(failures)


def well_formed(demo) -> dict[str, str]:
    """A well-formed value of every query parameter, naming rows that exist (the plans of SAMPLES)."""
    plans = sample_plans()
    pei, land = plans["pei"], plans["land"]
    return {
        **dict.fromkeys(QUERY, ""),
        "q": "Valle", "a": str(pei.pk), "b": str(pei.pk), "anio": "2026", "version": "1", "subproducto": str(land.pk),
        "pagina": "1", "desde": "01/01/2026", "hasta": "31/12/2026", "area": "10.02.U0", "medida": "programada",
        "estado": "open", "procedimiento": "11.01.U0.P6", "todo": "1", "person": "administrador",
    }  # fmt: skip


class ReadKeys:
    """The query parameters a view reads by name (`get`, `getlist`, `[]`: forms and `core.params` read so), recorded
    while it answers a well-formed request: each of them is then malformed in turn. A parameter the view never reads
    by name is malformed with all the others in the test above."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.keys: set[str] = set()
        self.monkeypatch = monkeypatch

    def __enter__(self) -> ReadKeys:
        from django.http import QueryDict
        from django.utils.datastructures import MultiValueDict

        def reading(method_name: str) -> Any:
            original = getattr(MultiValueDict, method_name)

            def read(data: Any, key: Any, *args: Any, **kwargs: Any) -> Any:
                if isinstance(data, QueryDict):
                    self.keys.add(str(key))
                return original(data, key, *args, **kwargs)

            return read

        for name in ("get", "getlist", "__getitem__"):
            self.monkeypatch.setattr(QueryDict, name, reading(name), raising=False)
        return self

    def __exit__(self, *exc: object) -> None:
        self.monkeypatch.undo()


def test_no_view_answers_5xx_to_one_malformed_parameter_among_good_ones(demo, monkeypatch):
    """A view that validates its first parameter and trusts the next (`/pei/comparar/?a=x&b=2`) is caught only when
    the others are well formed: each parameter the view reads is malformed in turn while the rest name rows that
    exist."""
    good = well_formed(demo)
    clients = {}
    for role in ROLES:
        clients[role] = Client(raise_request_exception=False)
        clients[role].force_login(demo[role])
    failures = []
    for name in view_names():
        if name == "accounts:logout" or name in GENERATING:
            continue
        policy = POLICIES[name]
        allowed = next((r for r in ROLES if policy.allows(demo[r])), None)
        if allowed is None:
            continue
        url = reverse(name, kwargs=SAMPLES.get(name, lambda u: {})(demo[allowed]))
        with ReadKeys(monkeypatch) as read:
            clients[allowed].get(url, good)
        for key in sorted(read.keys & set(QUERY)):
            for bad in ("abc", "-1"):
                response = clients[allowed].get(url, {**good, key: bad})
                if response.status_code >= 500:
                    failures.append(f"GET {name} {url} {key}={bad}: {response.status_code}")
    assert not failures, "\n".join(failures)


INT_PARAMETER = re.compile(r"<int:(\w+)>")
OTHER_PARAMETER = re.compile(r"<(?:(?:str|slug):)?(\w+)>")


SAMPLE_WORD = "producto"  # any word for the text parts of such a URL (a kind, a code)


def test_no_view_answers_5xx_to_ids_past_any_table(demo):
    """Every URL that takes numbers, given 2⁶³ (one past the largest id either database stores) and a 26-digit
    number: not found or refused, never a 5xx (SQLite cannot even bind them)."""
    client = Client(raise_request_exception=False)
    client.force_login(demo["jefe_planes_programas"])
    failures = []
    for name, route in named_patterns():
        numbers = INT_PARAMETER.findall(route)
        if not name or not numbers or name == "accounts:logout":
            continue
        for value in (2**63, 10**26):
            others = {key: SAMPLE_WORD for key in OTHER_PARAMETER.findall(route)}
            url = reverse(name, kwargs={**others, **dict.fromkeys(numbers, value)})
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                if response.status_code >= 500:
                    failures.append(f"{method.upper()} {url}: {response.status_code}")
    assert not failures, "\n".join(failures)
