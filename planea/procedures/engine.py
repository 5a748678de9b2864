"""The adapter to SpiffWorkflow: the parsed spec of each definition version (cached by its SHA-256), and the
workflow state of a case serialized to JSON without the spec, which is added back from the cache on restore.
Only the routing variable `decision` lives in task data; everything users enter lives in Django models."""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.parser import BpmnParser
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.util.task import TaskState

from .models import Definition

SERIALIZER = BpmnWorkflowSerializer()
SPEC_KEYS = ("spec", "subprocess_specs")


@lru_cache(maxsize=64)
def _spec(sha256: str, xml: str, process_id: str) -> tuple[Any, dict[str, Any]]:
    parser = BpmnParser()
    parser.add_bpmn_str(xml.encode("utf-8"), filename=f"{sha256}.bpmn")
    spec = parser.get_spec(process_id)
    return spec, SERIALIZER.to_dict(spec)


def spec_for(definition: Definition) -> tuple[Any, dict[str, Any]]:
    return _spec(definition.sha256, definition.bpmn_xml, definition.process_id)


def start(definition: Definition) -> BpmnWorkflow:
    workflow = BpmnWorkflow(spec_for(definition)[0])
    workflow.do_engine_steps()
    return workflow


def dump(workflow: BpmnWorkflow) -> dict[str, Any]:
    state = SERIALIZER.to_dict(workflow)
    for key in SPEC_KEYS:
        state.pop(key, None)
    state[SERIALIZER.VERSION_KEY] = SERIALIZER.VERSION
    return state


def restore(definition: Definition, state: dict[str, Any]) -> BpmnWorkflow:
    dct = dict(state)
    dct["spec"] = spec_for(definition)[1]
    dct["subprocess_specs"] = {}
    dct.pop(SERIALIZER.VERSION_KEY, None)
    return SERIALIZER.from_dict(dct)


def ready_tasks(workflow: BpmnWorkflow) -> list[Any]:
    return workflow.get_tasks(state=TaskState.READY, manual=True)


def complete(workflow: BpmnWorkflow, engine_id: UUID, decision: str = "") -> None:
    task = workflow.get_task_from_id(engine_id)
    if decision:
        task.data["decision"] = decision
    else:
        task.data.pop("decision", None)
    task.run()
    workflow.do_engine_steps()
