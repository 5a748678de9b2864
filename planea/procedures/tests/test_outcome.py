"""The outcome `complete()` sends with `step_completed`: advanced, returned (a decision's branch that goes back, or a
plain return step) or concluded, computed once by the step so that the receivers do not work it out again."""

from typing import Any

import pytest

from planea.org.models import Person
from planea.procedures import cases
from planea.procedures.drive import ready, step_through, supply_documents
from planea.procedures.manual import P1, P2, P3, P6, Procedure
from planea.procedures.models import Case, CaseStatus, CaseTask
from planea.procedures.signals import Outcome, step_completed

pytestmark = pytest.mark.django_db


def at_step(demo: dict[str, Person], procedure: Procedure, number: str, choices: dict[str, list[str]]) -> CaseTask:
    """A new case of `procedure` taken to step `number`, which is ready with its documents attached."""
    case = cases.start_case(
        code=procedure.code, title="Expediente de prueba", subject="2027", actor=demo[procedure.steps[0].role]
    )
    step_through(case, choices, until=number)
    task = ready(case)[0]
    assert task.number == number
    supply_documents(task, demo[task.role])
    return task


def heard_on_completing(task: CaseTask, actor: Person, **fields: str) -> list[dict[str, Any]]:
    """What `step_completed` carried, each time it was sent, when `actor` completed `task` with `fields`."""
    heard: list[dict[str, Any]] = []

    def listen(sender: type[Case], **kwargs: Any) -> None:
        heard.append(kwargs)

    step_completed.connect(listen, sender=Case)
    try:
        cases.complete(task, actor=actor, **fields)
    finally:
        step_completed.disconnect(listen, sender=Case)
    return heard


def sent_on_completing(task: CaseTask, actor: Person, **fields: str) -> dict[str, Any]:
    """What `step_completed` carried when `actor` completed `task`, a step completed alone."""
    (sent,) = heard_on_completing(task, actor, **fields)
    return sent


def test_a_plain_step_that_leads_on_advances(demo):
    task = at_step(demo, P3, "1", {})
    sent = sent_on_completing(task, demo[task.role])
    assert sent["outcome"] == Outcome.ADVANCED and sent["target"] == ""
    assert sent["task"].pk == task.pk and sent["case"].status == CaseStatus.OPEN


def test_a_decision_through_a_return_step_advances_to_it_then_returns(demo):
    """P1 9 → 9.1 → 4: the decision advances to the return step, which the same person completes with it and
    which returns to the step chosen, each heard on its own."""
    task = at_step(demo, P1, "9", {})
    supply_documents(task, demo[task.role], decision="9.1")
    decided, returned = heard_on_completing(
        task, demo[task.role], decision="9.1", return_to="4", observations="Revisar el análisis de la situación"
    )
    assert decided["outcome"] == Outcome.ADVANCED and decided["target"] == "9.1" and decided["task"].pk == task.pk
    assert returned["outcome"] == Outcome.RETURNED and returned["target"] == "4"
    assert returned["task"].number == "9.1" and returned["task"].decision == "4"


def test_a_decision_through_a_plain_return_step_returns_to_its_one_step(demo):
    task = at_step(demo, P2, "10", {})
    decided, returned = heard_on_completing(task, demo[task.role], decision="10.2", observations="Corregir las metas")
    assert decided["outcome"] == Outcome.ADVANCED and decided["target"] == "10.2"
    assert returned["outcome"] == Outcome.RETURNED and returned["target"] == ""
    assert returned["task"].observations == "Corregir las metas"
    assert [t.number for t in ready(task.case)] == ["9"]


def test_the_last_step_concludes(demo):
    last = P6.steps[-1].number
    task = at_step(demo, P6, last, {})
    sent = sent_on_completing(task, demo[task.role])
    assert sent["outcome"] == Outcome.CONCLUDED and sent["case"].status == CaseStatus.COMPLETED
