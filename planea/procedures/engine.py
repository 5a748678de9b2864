"""The adapter to SpiffWorkflow: the parsed spec of each definition version (cached by its SHA-256), and the
workflow state of a case serialized to JSON without the spec, which is added back from the cache on restore.
Only the routing variable `decision` lives in task data; everything users enter lives in Django models.

Every workflow runs with Planea's routing engine (`routing.ENGINE`): conditions are compared, never `eval`-ed, and
scripts or services are refused. Any error the engine raises reaches the services as `EngineError`."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.parser import BpmnParser
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.config import DEFAULT_CONFIG
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.util.task import TaskState

from .models import Definition
from .routing import ENGINE, ROUTING_VARIABLE
from .xml import parse_xml


class CaseStateConverter(BpmnWorkflowConverter):
    """A case's workflow as a dict without its spec, which is its definition version's, parsed once per process
    (`spec_for`): the spec is neither converted on every dump nor rebuilt on every restore (where the serializer
    takes the spec object given in the dict as it is)."""

    def to_dict(self, workflow: BpmnWorkflow) -> dict[str, Any]:
        dct: dict[str, Any] = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct


SERIALIZER = BpmnWorkflowSerializer(
    BpmnWorkflowSerializer.configure({**DEFAULT_CONFIG, BpmnWorkflow: CaseStateConverter})
)


class EngineError(Exception):
    """SpiffWorkflow could not build, restore or move a workflow; the message is the engine's own (English)."""


def parse_spec(xml: bytes, process_id: str, filename: str = "definition.bpmn") -> Any:
    """The process spec, parsed from XML read without DTDs or entities."""
    try:
        parser = BpmnParser()
        parser.add_bpmn_xml(parse_xml(xml), filename=filename)
        return parser.get_spec(process_id)
    except Exception as exc:  # the parser raises many types; each one means the file cannot run
        raise EngineError(str(exc)) from exc


@lru_cache(maxsize=64)
def _spec(definition_id: int, sha256: str, process_id: str) -> Any:
    """A definition version's XML never changes (its SHA-256 is recorded with it): it is read and parsed once per
    process, so that the cases' steps need not load it."""
    xml = Definition.objects.values_list("bpmn_xml", flat=True).get(pk=definition_id).encode("utf-8")
    if hashlib.sha256(xml).hexdigest() != sha256:
        raise EngineError(f"definition {definition_id}: the BPMN does not match its recorded SHA-256")
    return parse_spec(xml, process_id, f"{sha256}.bpmn")


def spec_for(definition: Definition) -> Any:
    return _spec(definition.pk, definition.sha256, definition.process_id)


def new_workflow(spec: Any) -> BpmnWorkflow:
    try:
        workflow = BpmnWorkflow(spec, script_engine=ENGINE)
        workflow.do_engine_steps()
    except Exception as exc:
        raise EngineError(str(exc)) from exc
    return workflow


def start(definition: Definition) -> BpmnWorkflow:
    return new_workflow(spec_for(definition))


def dump(workflow: BpmnWorkflow) -> dict[str, Any]:
    state: dict[str, Any] = SERIALIZER.to_dict(workflow)
    state[SERIALIZER.VERSION_KEY] = SERIALIZER.VERSION
    return state


def restore_state(spec: Any, state: dict[str, Any]) -> BpmnWorkflow:
    dct = dict(state)
    dct["spec"] = spec
    dct["subprocess_specs"] = {}
    dct.pop(SERIALIZER.VERSION_KEY, None)
    try:
        workflow = SERIALIZER.from_dict(dct)
    except Exception as exc:
        raise EngineError(str(exc)) from exc
    workflow.script_engine = ENGINE
    return workflow


def restore(definition: Definition, state: dict[str, Any]) -> BpmnWorkflow:
    return restore_state(spec_for(definition), state)


def ready_tasks(workflow: BpmnWorkflow) -> list[Any]:
    return workflow.get_tasks(state=TaskState.READY, manual=True)


def complete(workflow: BpmnWorkflow, engine_id: UUID, decision: str = "") -> None:
    try:
        task = workflow.get_task_from_id(engine_id)
        if decision:
            task.data[ROUTING_VARIABLE] = decision
        else:
            task.data.pop(ROUTING_VARIABLE, None)
        task.run()
        workflow.do_engine_steps()
    except Exception as exc:
        raise EngineError(str(exc)) from exc
