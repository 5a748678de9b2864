"""A revised definition is run before it is accepted: from the start, every step is completed with every answer its
decision offers, until each reachable situation has been tried. A definition whose engine fails on some path, or
that stops with nothing left to do, is refused at upload instead of leaving a real case stuck later."""

from __future__ import annotations

from collections import deque
from typing import Any

from django.utils.translation import gettext as _

from . import engine

MAX_TRANSITIONS = 2_000


def _key(workflow: Any) -> tuple[str, ...]:
    return tuple(sorted(t.task_spec.name for t in engine.ready_tasks(workflow)))


def _short(error: Exception) -> str:
    text = str(error).splitlines()[0] if str(error) else error.__class__.__name__
    return text[:200]


def problems(spec: Any, steps: list[dict[str, Any]]) -> list[str]:
    """Spanish problems met while walking every path of `spec`; `steps` are the definition's read steps."""
    choices = {step["task_id"]: [b["value"] for b in step["branches"]] or [""] for step in steps}
    numbers = {step["task_id"]: step["number"] for step in steps}
    spec_dict = engine.SERIALIZER.to_dict(spec)
    try:
        first = engine.new_workflow(spec)
    except engine.EngineError as exc:
        return [_("El motor de procedimientos no puede iniciar la definición: %(error)s") % {"error": _short(exc)}]
    found: list[str] = []
    seen = {_key(first)}
    queue = deque([engine.dump(first)])
    transitions = 0
    while queue:
        state = queue.popleft()
        workflow = engine.restore_state(spec_dict, state)
        ready = engine.ready_tasks(workflow)
        if not ready and not workflow.is_completed():
            found.append(_("El proceso se detiene sin pasos pendientes y sin llegar a un fin."))
            continue
        for task in ready:
            task_id = task.task_spec.bpmn_id
            for value in choices.get(task_id, [""]):
                transitions += 1
                if transitions > MAX_TRANSITIONS:
                    return found + [_("La definición tiene demasiados caminos para comprobarlos.")]
                attempt = engine.restore_state(spec_dict, state)
                try:
                    engine.complete(attempt, task.id, value)
                except engine.EngineError as exc:
                    found.append(
                        _("Al completar el paso %(step)s%(choice)s el motor de procedimientos falla: %(error)s")
                        % {
                            "step": numbers.get(task_id, task_id),
                            "choice": _(" eligiendo «%(value)s»") % {"value": value} if value else "",
                            "error": _short(exc),
                        }
                    )
                    continue
                key = _key(attempt)
                if key not in seen:
                    seen.add(key)
                    queue.append(engine.dump(attempt))
    return found
