"""Reading a BPMN 2.0 definition back into the step table Planea works with, and validating a revised definition
before it becomes a new version: it parses (without DTDs or entities), it holds only what Planea drives
(`definition_rules`), every user task sits in a lane mapped to a role, every exclusive gateway has a default flow,
SpiffWorkflow builds the process and every path of it runs (`dry_run`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from lxml import etree

from planea.documents.kinds import DocumentKind, kind_for
from planea.documents.services import COPY_LENGTH, MAX_COPIES
from planea.org.roles import Role, spanish_label

from . import definition_rules, dry_run, engine
from .definition_rules import BPMN_NS, NS
from .routing import condition_value
from .xml import UnsafeXml, parse_xml

NUMBER_IN_NAME = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)*)\.?\s", re.ASCII)
NUMBER_IN_ID = re.compile(r"^paso_([0-9]+(?:_[0-9]+)*)$", re.ASCII)
DOCUMENT_USES = ("produce", "receive", "reference")
COPIES_SEPARATOR = "|"  # the offices an oficio also goes to, in one attribute of its planea:document
MAX_BRANCHES = 12


class DefinitionError(ValueError):
    """A BPMN file that cannot become a version; `problems` lists every reason in Spanish."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class ReadDefinition:
    process_id: str
    process_name: str
    steps: list[dict[str, Any]] = field(default_factory=list)


def _ref(element: etree._Element, attribute: str) -> str:
    """An element's `id`, `sourceRef` or `targetRef` ("" when it has none: BPMN requires them, the file may not)."""
    return element.get(attribute) or ""


def role_of_lane(lane: etree._Element) -> str | None:
    lane_id = _ref(lane, "id").removeprefix("lane_")
    if lane_id in Role.values:
        return lane_id
    name = (lane.get("name") or "").strip()
    for role in Role:
        if name in (role.value, spanish_label(role)):
            return role.value
    return None


def step_number(task: etree._Element) -> str | None:
    match = NUMBER_IN_NAME.match(task.get("name") or "")
    if match:
        return match.group(1)
    match = NUMBER_IN_ID.match(_ref(task, "id"))
    return match.group(1).replace("_", ".") if match else None


def read(xml: bytes) -> ReadDefinition:
    """The steps of the first executable process, or DefinitionError with every problem found."""
    try:
        root = parse_xml(xml)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (0, 0)
        raise DefinitionError(
            [_("El archivo no es XML válido (línea %(line)s, columna %(column)s).") % {"line": line, "column": column}]
        ) from exc
    except UnsafeXml as exc:
        raise DefinitionError([str(exc)]) from exc
    if root.tag != f"{{{BPMN_NS}}}definitions":
        raise DefinitionError([_("El archivo no es una definición BPMN 2.0 (falta bpmn:definitions).")])
    processes = root.findall("bpmn:process", NS)
    if not processes:
        raise DefinitionError([_("La definición no contiene ningún proceso.")])
    if len(processes) > 1:
        raise DefinitionError([_("La definición contiene %(n)s procesos; debe contener uno.") % {"n": len(processes)}])
    process = processes[0]
    tasks = process.findall("bpmn:userTask", NS)
    if len(tasks) > definition_rules.MAX_TASKS:  # before any work that grows with them
        raise DefinitionError([_("El proceso tiene más de %(max)s tareas.") % {"max": definition_rules.MAX_TASKS}])
    problems = definition_rules.problems_of(root, process, tasks)
    by_id = {_ref(el, "id"): el for el in process.iter() if _ref(el, "id")}
    lane_of: dict[str, etree._Element] = {}
    for lane in process.iterfind(".//bpmn:lane", NS):
        for ref in lane.iterfind("bpmn:flowNodeRef", NS):
            lane_of[(ref.text or "").strip()] = lane
    flows = process.findall("bpmn:sequenceFlow", NS)
    outgoing: dict[str, list[etree._Element]] = {}
    for flow in flows:
        outgoing.setdefault(_ref(flow, "sourceRef"), []).append(flow)

    if not tasks:
        problems.append(_("El proceso no tiene tareas de usuario."))
    numbers: dict[str, str] = {}
    seen_numbers: set[str] = set()
    for task in tasks:
        label = task.get("name") or _ref(task, "id")
        number = step_number(task)
        if number is None:
            problems.append(
                _("La tarea «%(task)s» no tiene número de paso (el nombre debe empezar con él, p. ej. «9.1. …»).")
                % {"task": label}
            )
            continue
        if number in seen_numbers:
            problems.append(_("El paso %(number)s aparece dos veces.") % {"number": number})
        seen_numbers.add(number)
        numbers[_ref(task, "id")] = number
        task_lane = lane_of.get(_ref(task, "id"))
        if task_lane is None:
            problems.append(_("La tarea «%(task)s» no está en ningún carril (lane).") % {"task": label})
        elif role_of_lane(task_lane) is None:
            problems.append(
                _("El carril «%(lane)s» de la tarea «%(task)s» no corresponde a ningún rol de Planea.")
                % {"lane": task_lane.get("name") or _ref(task_lane, "id"), "task": label}
            )
    for gateway in process.findall("bpmn:exclusiveGateway", NS):
        out_ids = {_ref(f, "id") for f in outgoing.get(_ref(gateway, "id"), [])}
        label = gateway.get("name") or _ref(gateway, "id")
        if len(out_ids) > 1 and gateway.get("default") not in out_ids:
            problems.append(
                _("La decisión «%(gateway)s» no tiene un flujo por defecto (default) entre sus salidas.")
                % {"gateway": label}
            )
    if not process.findall("bpmn:startEvent", NS):
        problems.append(_("El proceso no tiene evento de inicio."))
    if not process.findall("bpmn:endEvent", NS):
        problems.append(_("El proceso no tiene evento de fin."))
    if problems:
        raise DefinitionError(problems)

    def target_number(element_id: str) -> str:
        element = by_id.get(element_id)
        if element is not None and element.tag == f"{{{BPMN_NS}}}endEvent":
            return "end"
        return numbers.get(element_id, element_id)

    steps: list[dict[str, Any]] = []
    for task in tasks:
        number = numbers[_ref(task, "id")]
        documentation = task.findtext("bpmn:documentation", default="", namespaces=NS).strip()
        name = NUMBER_IN_NAME.sub("", task.get("name") or "").strip()
        documents = []
        for doc in task.iterfind("bpmn:extensionElements/planea:document", NS):
            doc_name = doc.get("name") or ""
            kind = doc.get("kind") if doc.get("kind") in DocumentKind.values else kind_for(doc_name)
            use = doc.get("use") if doc.get("use") in DOCUMENT_USES else "produce"
            copies = [c.strip() for c in (doc.get("copies") or "").split(COPIES_SEPARATOR) if c.strip()]
            documents.append({"name": doc_name, "kind": kind, "use": use, "copies": copies})
        step: dict[str, Any] = {
            "number": number,
            "task_id": _ref(task, "id"),
            "activity": documentation or name,
            "name": name,
            "role": role_of_lane(lane_of[_ref(task, "id")]),
            "documents": documents,
            "next": [],
            "decision": "",
            "branches": [],
        }
        for flow in outgoing.get(_ref(task, "id"), []):
            target = by_id.get(_ref(flow, "targetRef"))
            if target is not None and target.tag == f"{{{BPMN_NS}}}exclusiveGateway":
                step["decision"] = target.get("name") or ""
                for branch in outgoing.get(_ref(target, "id"), []):
                    to = target_number(_ref(branch, "targetRef"))
                    value = condition_value(branch.findtext("bpmn:conditionExpression", namespaces=NS))
                    step["branches"].append(
                        {
                            "label": branch.get("name") or to,
                            "to": to,
                            "value": value or to,
                            "default": _ref(branch, "id") == (target.get("default") or ""),
                        }
                    )
                    step["next"].append(to)
            else:
                step["next"].append(target_number(_ref(flow, "targetRef")))
        steps.append(step)
    problems.extend(_length_problems(_ref(process, "id"), steps))
    # Each answer of a decision must lead to one place: the default answers with its target's number, so a
    # condition comparing with that number would make two answers the same (and one path unreachable).
    for step in steps:
        values = [branch["value"] for branch in step["branches"]]
        if len(values) > MAX_BRANCHES:
            problems.append(
                _("La decisión del paso %(step)s tiene %(n)s salidas; el máximo es %(max)s.")
                % {"step": step["number"], "n": len(values), "max": MAX_BRANCHES}
            )
        for value in sorted({v for v in values if values.count(v) > 1}):
            problems.append(
                _("Dos salidas de la decisión del paso %(step)s responden al mismo valor «%(value)s».")
                % {"step": step["number"], "value": value}
            )
    if problems:
        raise DefinitionError(problems)
    return ReadDefinition(_ref(process, "id"), process.get("name") or "", steps)


# What Planea stores of a definition, and how much of it each column holds (procedures/models.py).
LIMITS = {"process_id": 100, "number": 10, "task_id": 100, "value": 20, "label": 200, "document": 300}
MAX_TEXT = 2_000  # an activity's description: the manual's longest has about 300 characters
MAX_DOCUMENTS = 20


def _length_problems(process_id: str, steps: list[dict[str, Any]]) -> list[str]:
    """Every text longer than the column that will hold it (it would fail only later, in a running case)."""
    found = []

    def too_long(what: str, text: str, limit: int) -> None:
        if len(text) > limit:
            found.append(
                _("%(what)s «%(text)s» tiene %(n)s caracteres; el máximo es %(max)s.")
                % {"what": what, "text": text[:40] + ("…" if len(text) > 40 else ""), "n": len(text), "max": limit}
            )

    too_long(_("El identificador del proceso"), process_id, LIMITS["process_id"])
    for step in steps:
        too_long(_("El número de paso"), step["number"], LIMITS["number"])
        too_long(_("El identificador de la tarea"), step["task_id"], LIMITS["task_id"])
        too_long(_("La descripción del paso %(n)s") % {"n": step["number"]}, step["activity"], MAX_TEXT)
        for branch in step["branches"]:
            too_long(_("La respuesta"), branch["value"], LIMITS["value"])
            too_long(_("El nombre de la salida"), branch["label"], LIMITS["label"])
        for document in step["documents"]:
            too_long(_("El documento"), document["name"], LIMITS["document"])
            for copy in document["copies"]:
                too_long(_("La copia"), copy, COPY_LENGTH)
            if len(document["copies"]) > MAX_COPIES:
                found.append(
                    _("El documento «%(name)s» va con %(count)s copias; el máximo es %(max)s.")
                    % {"name": document["name"][:40], "count": len(document["copies"]), "max": MAX_COPIES}
                )
        if len(step["documents"]) > MAX_DOCUMENTS:
            found.append(
                _("El paso %(n)s pide %(count)s documentos; el máximo es %(max)s.")
                % {"n": step["number"], "count": len(step["documents"]), "max": MAX_DOCUMENTS}
            )
    return found


def validate(xml: bytes) -> ReadDefinition:
    """`read`, then build the process with SpiffWorkflow and walk every path of it, so that only definitions that
    run are accepted."""
    definition = read(xml)
    try:
        spec = engine.parse_spec(xml, definition.process_id, "revision.bpmn")
    except engine.EngineError as exc:
        raise DefinitionError(
            [_("SpiffWorkflow no puede ejecutar la definición: %(error)s") % {"error": str(exc)[:300]}]
        ) from exc
    problems = dry_run.problems(spec, definition.steps)
    if problems:
        raise DefinitionError(problems)
    return definition
