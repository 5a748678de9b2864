"""Every action Planea records has a Spanish name, and the audit page shows names, never codes."""

import ast
from pathlib import Path

import pytest
from django.apps import apps

from planea.audit.labels import ACTION_LABELS, action_label
from planea.audit.services import record

ROOT = Path(__file__).resolve().parents[2]  # the planea package


def _strings(node: ast.expr) -> set[str]:
    """The string literals an expression can evaluate to: a constant, or either branch of `a if c else b`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _strings(node.body) | _strings(node.orelse)
    return set()


def recorded_actions() -> set[str]:
    """Every action code written in the application code: `action=` of any call (record, save_audited, goals.write,
    …), a lifecycle `Event("code", …)` and an `action = …` assignment."""
    found: set[str] = set()
    for path in ROOT.rglob("*.py"):
        if {"tests", "migrations"} & set(path.relative_to(ROOT).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if name in {"filter", "exclude", "get", "add_argument"}:
                    continue  # a lookup, or a command-line option's argparse action: not a write
                for keyword in node.keywords:
                    if keyword.arg == "action":
                        found |= _strings(keyword.value)
                if name == "Event" and node.args:
                    found |= _strings(node.args[0])
            elif isinstance(node, ast.Assign) and any(
                isinstance(target, ast.Name) and target.id == "action" for target in node.targets
            ):
                found |= _strings(node.value)
    return found


def test_the_collector_sees_actions_written_each_way():
    actions = recorded_actions()
    # record(action="…"), a conditional, save_audited's default, a lifecycle Event and goals.write(action="…")
    assert {"task_completed", "task_assigned", "task_reassigned", "create", "update", "pei_approved"} <= actions
    assert {"goals_imported", "ceilings_set", "goals_saved"} <= actions


def test_every_recorded_action_has_a_spanish_label():
    missing = sorted(recorded_actions() - ACTION_LABELS.keys())
    assert not missing, f"Actions recorded without a label in planea/audit/labels.py: {missing}"


def test_an_unknown_code_is_shown_as_it_is():
    assert action_label("task_completed") == "Paso completado"
    assert action_label("no_such_action") == "no_such_action"


@pytest.mark.django_db
def test_audit_page_names_actions_and_people(demo, client_as):
    cost_center = apps.get_model("org", "CostCenter").objects.first()
    person = apps.get_model("org", "Person").objects.get(username="jefe_planes_programas")
    person.first_name, person.last_name = "Ana", "Pérez"
    person.save()
    record(actor=person, action="ceilings_set", instance=cost_center, summary="Techos de prueba")
    record(actor=person, action="ceilings_set", instance=cost_center, summary="Techos de prueba, otra vez")
    record(actor=None, action="login_failed", object_type="accounts.address", object_id="10.0.0.9", summary="Fallo")

    page = client_as("auditoria_interna").get("/auditoria/").content.decode()

    assert page.count('<option value="ceilings_set" >Techos presupuestarios fijados</option>') == 1  # once per action
    actions = page.split('name="action"')[1].split("</select>")[0]
    options = [option.strip() for option in actions.split("<option")[1:]]
    assert len(options) == len(set(options)) > 3  # no action twice
    assert "Dirección de origen" in page and "accounts.address" not in page
    assert "<td>ceilings_set</td>" not in page and "Techos presupuestarios fijados</td>" in page
    assert '<option value="jefe_planes_programas" >Ana Pérez</option>' in page
    assert '<span title="jefe_planes_programas">Ana Pérez</span>' in page
    filtered = client_as("auditoria_interna").get("/auditoria/?action=ceilings_set&person=jefe_planes_programas")
    assert "Techos de prueba" in filtered.content.decode()
