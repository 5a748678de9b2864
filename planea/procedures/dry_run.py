"""A revised definition is run before it is accepted: from the start, every step is completed with every answer its
decision offers, until each reachable situation has been tried. A definition whose engine fails on some path, that
stops with nothing left to do, or from which some situation can never reach the end (a loop without exit), is
refused at upload instead of leaving a real case stuck later. The walk is bounded in transitions and in time."""

from __future__ import annotations

import time
from collections import deque
from typing import Any

from django.utils.translation import gettext as _

from . import engine

MAX_TRANSITIONS = 2_000
MAX_SECONDS = 10.0
END = ("<fin>",)


def _key(workflow: Any) -> tuple[str, ...]:
    return tuple(sorted(t.task_spec.name for t in engine.ready_tasks(workflow)))


def _short(error: Exception) -> str:
    text = str(error).splitlines()[0] if str(error) else error.__class__.__name__
    return text[:200]


def problems(spec: Any, steps: list[dict[str, Any]]) -> list[str]:
    """Spanish problems met while walking every path of `spec`; `steps` are the definition's read steps."""
    choices = {step["task_id"]: [b["value"] for b in step["branches"]] or [""] for step in steps}
    numbers = {step["task_id"]: step["number"] for step in steps}
    try:
        first = engine.new_workflow(spec)
    except engine.EngineError as exc:
        return [_("El motor de procedimientos no puede iniciar la definición: %(error)s") % {"error": _short(exc)}]
    found: list[str] = []
    start_key = _key(first)
    seen = {start_key}
    edges: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    labels: dict[tuple[str, ...], str] = {}
    queue = deque([(start_key, engine.dump(first))])
    transitions = 0
    deadline = time.monotonic() + MAX_SECONDS
    while queue:
        key, state = queue.popleft()
        workflow = engine.restore_state(spec, state)
        ready = engine.ready_tasks(workflow)
        if not ready:
            found.append(_("El proceso se detiene sin pasos pendientes y sin llegar a un fin."))
            continue
        for task in ready:
            task_id = task.task_spec.bpmn_id
            labels.setdefault(key, numbers.get(task_id, task_id))
            for value in choices.get(task_id, [""]):
                transitions += 1
                if transitions > MAX_TRANSITIONS or time.monotonic() > deadline:
                    return found + [_("La definición tiene demasiados caminos para comprobarlos.")]
                attempt = engine.restore_state(spec, state)
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
                following = END if attempt.is_completed() else _key(attempt)
                edges.setdefault(key, set()).add(following)
                if following not in seen and following != END:
                    seen.add(following)
                    queue.append((following, engine.dump(attempt)))
    return found + _without_exit(edges, labels, seen)


def _without_exit(
    edges: dict[tuple[str, ...], set[tuple[str, ...]]], labels: dict[tuple[str, ...], str], seen: set[tuple[str, ...]]
) -> list[str]:
    """The situations from which no sequence of answers reaches the end: a loop without exit."""
    reaches: set[tuple[str, ...]] = {END}
    changed = True
    while changed:
        changed = False
        for key, targets in edges.items():
            if key not in reaches and targets & reaches:
                reaches.add(key)
                changed = True
    stuck = sorted({labels[k] for k in seen - reaches if k in labels})
    return [
        _("Desde el paso %(step)s no hay respuesta que lleve al fin del proceso.") % {"step": step} for step in stuck
    ]
