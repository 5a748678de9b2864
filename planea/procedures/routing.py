"""The one expression a Planea definition may hold: the routing comparison `decision == "9.1"` on a flow that leaves
a decision. SpiffWorkflow's default script engine runs conditions with Python's `eval` and script tasks with `exec`;
Planea gives every workflow this engine instead, which answers that comparison by reading the routing variable and
refuses everything else. So no definition, not even one stored before this check existed, can run code."""

from __future__ import annotations

import re
from typing import Any

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import BasePythonScriptEngineEnvironment, PythonScriptEngine

ROUTING_VARIABLE = "decision"
# A branch value is what the decision form posts: a step number ("9.1"), "end" or a short ASCII word.
VALUE = r"[A-Za-z0-9._-]{1,20}"  # the case task keeps it in a 20-character column
CONDITION = re.compile(rf"""^\s*{ROUTING_VARIABLE}\s*==\s*(?:"({VALUE})"|'({VALUE})')\s*$""", re.ASCII)


class UnsupportedExpression(ValueError):
    """An expression other than the routing comparison."""


def condition_value(expression: str | None) -> str | None:
    """The value a routing condition compares `decision` with, or None when the text is not that comparison."""
    match = CONDITION.match(expression or "")
    if match is None:
        return None
    return match.group(1) or match.group(2)


class RoutingEnvironment(BasePythonScriptEngineEnvironment):
    """Evaluates `decision == "value"` against the task data, without `eval`; executes nothing."""

    def evaluate(self, expression: str, context: dict[str, Any], external_context: Any = None) -> bool:
        value = condition_value(expression)
        if value is None:
            raise UnsupportedExpression(f'Planea only evaluates {ROUTING_VARIABLE} == "value": {expression[:80]!r}')
        return context.get(ROUTING_VARIABLE) == value

    def execute(self, script: str, context: dict[str, Any], external_context: Any = None) -> bool:
        raise UnsupportedExpression("Planea runs no scripts")

    def call_service(self, context: dict[str, Any], **kwargs: Any) -> Any:
        raise UnsupportedExpression("Planea calls no services")


class RoutingScriptEngine(PythonScriptEngine):
    def __init__(self) -> None:
        super().__init__(environment=RoutingEnvironment())

    def validate(self, expression: str) -> None:
        if condition_value(expression) is None:
            raise UnsupportedExpression(expression[:80])

    def execute(self, task: Any, script: str, external_context: Any = None) -> bool:
        raise WorkflowTaskException("Planea runs no scripts", task=task)

    def call_service(self, task: Any, **kwargs: Any) -> Any:
        raise WorkflowTaskException("Planea calls no services", task=task)


ENGINE = RoutingScriptEngine()
