"""What a definition may contain: only the elements Planea drives. A procedure is a start event, user tasks in the
lanes of roles, exclusive decisions whose flows compare the routing variable (`decision == "9.1"`) and end events,
with the diagram and annotations around them. Scripts, services, messages, timers, call activities, loops and
vendor extensions are refused at upload with the element named, because Planea does not run them (and must not)."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree

from .routing import condition_value

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
PLANEA_NS = "https://planea.igm.gob.gt/bpmn"
DIAGRAM_NAMESPACES = (
    "http://www.omg.org/spec/BPMN/20100524/DI",
    "http://www.omg.org/spec/DD/20100524/DC",
    "http://www.omg.org/spec/DD/20100524/DI",
)
NS = {"bpmn": BPMN_NS, "planea": PLANEA_NS}

# Where each element may stand: the BPMN elements Planea drives, the diagram under BPMNDiagram, the lanes, the
# annotations, and Planea's own document list inside a user task. SpiffWorkflow reads elements wherever they are (an
# id anywhere in the process is a task to it), so an allowed element in any other place is refused as well.
DI = "di"
GRAMMAR: dict[str, frozenset[str]] = {
    "definitions": frozenset({"collaboration", "process", "category", DI}),
    "collaboration": frozenset({"participant", "textAnnotation", "association", "group", "documentation"}),
    "participant": frozenset({"documentation"}),
    "process": frozenset(
        {
            "documentation",
            "laneSet",
            "startEvent",
            "endEvent",
            "userTask",
            "exclusiveGateway",
            "sequenceFlow",
            "textAnnotation",
            "association",
            "group",
        }
    ),
    "laneSet": frozenset({"lane"}),
    "lane": frozenset({"flowNodeRef", "childLaneSet", "documentation"}),
    "childLaneSet": frozenset({"lane"}),
    "startEvent": frozenset({"incoming", "outgoing", "documentation"}),
    "endEvent": frozenset({"incoming", "outgoing", "documentation"}),
    "exclusiveGateway": frozenset({"incoming", "outgoing", "documentation"}),
    "userTask": frozenset({"incoming", "outgoing", "documentation", "extensionElements"}),
    "sequenceFlow": frozenset({"conditionExpression", "documentation"}),
    "textAnnotation": frozenset({"text"}),
    "category": frozenset({"categoryValue"}),
    "extensionElements": frozenset({"planea:document"}),
}
ALLOWED = frozenset(GRAMMAR) | frozenset().union(*GRAMMAR.values())
FLOW_NODES = frozenset({"startEvent", "endEvent", "userTask", "exclusiveGateway"})
# What people call the refused elements they are most likely to meet in a modeler.
REFUSED_NAMES = {
    "scriptTask": gettext_lazy("tarea de script"),
    "serviceTask": gettext_lazy("tarea de servicio"),
    "sendTask": gettext_lazy("tarea de envío"),
    "receiveTask": gettext_lazy("tarea de recepción"),
    "businessRuleTask": gettext_lazy("tarea de reglas de negocio"),
    "manualTask": gettext_lazy("tarea manual"),
    "task": gettext_lazy("tarea sin tipo"),
    "callActivity": gettext_lazy("actividad de llamada"),
    "subProcess": gettext_lazy("subproceso"),
    "transaction": gettext_lazy("transacción"),
    "adHocSubProcess": gettext_lazy("subproceso ad hoc"),
    "multiInstanceLoopCharacteristics": gettext_lazy("instancias múltiples"),
    "standardLoopCharacteristics": gettext_lazy("ciclo"),
    "timerEventDefinition": gettext_lazy("temporizador"),
    "messageEventDefinition": gettext_lazy("mensaje"),
    "signalEventDefinition": gettext_lazy("señal"),
    "conditionalEventDefinition": gettext_lazy("evento condicional"),
    "errorEventDefinition": gettext_lazy("error"),
    "escalationEventDefinition": gettext_lazy("escalamiento"),
    "compensateEventDefinition": gettext_lazy("compensación"),
    "terminateEventDefinition": gettext_lazy("terminación"),
    "linkEventDefinition": gettext_lazy("enlace"),
    "cancelEventDefinition": gettext_lazy("cancelación"),
    "intermediateCatchEvent": gettext_lazy("evento intermedio"),
    "intermediateThrowEvent": gettext_lazy("evento intermedio"),
    "boundaryEvent": gettext_lazy("evento de borde"),
    "parallelGateway": gettext_lazy("compuerta paralela"),
    "inclusiveGateway": gettext_lazy("compuerta inclusiva"),
    "complexGateway": gettext_lazy("compuerta compleja"),
    "eventBasedGateway": gettext_lazy("compuerta basada en eventos"),
    "message": gettext_lazy("mensaje"),
    "signal": gettext_lazy("señal"),
    "messageFlow": gettext_lazy("flujo de mensaje"),
    "dataObject": gettext_lazy("objeto de datos"),
    "dataObjectReference": gettext_lazy("objeto de datos"),
    "dataStoreReference": gettext_lazy("almacén de datos"),
    "ioSpecification": gettext_lazy("entradas y salidas de datos"),
    "dataInputAssociation": gettext_lazy("asociación de datos"),
    "dataOutputAssociation": gettext_lazy("asociación de datos"),
    "import": gettext_lazy("importación de otro archivo"),
}
MAX_ELEMENTS = 20_000
MAX_TASKS = 100  # the manual's longest procedure has 16 steps


def _local(element: etree._Element) -> tuple[str, str]:
    qname = etree.QName(element)
    return qname.namespace or "", qname.localname


def _label(element: etree._Element) -> str:
    return (element.get("name") or element.get("id") or "").strip()[:80]


def _key(element: etree._Element) -> str:
    """The grammar's name of an element: its BPMN local name, "di" for the diagram, "planea:…" for Planea's own."""
    namespace, name = _local(element)
    if namespace == BPMN_NS:
        return name
    if namespace in DIAGRAM_NAMESPACES:
        return DI
    return f"planea:{name}" if namespace == PLANEA_NS else f"{{{namespace}}}{name}"


def _element_problems(root: etree._Element) -> list[str]:
    problems: list[str] = []
    reported: set[tuple[str, str]] = set()
    ids: set[str] = set()
    count = 0
    pending = [(root, "")] if _key(root) == "definitions" else []
    while pending:
        element, parent_key = pending.pop()
        count += 1
        if count > MAX_ELEMENTS:
            return [_("La definición tiene más de %(max)s elementos.") % {"max": MAX_ELEMENTS}]
        key = _key(element)
        identifier = element.get("id")
        if identifier is not None and key != DI:
            if identifier in ids:
                problems.append(_("El identificador «%(id)s» aparece dos veces.") % {"id": identifier[:80]})
            ids.add(identifier)
        children = [c for c in element if isinstance(c.tag, str)]  # comments and processing instructions aside
        if key == DI:
            # The diagram: only diagram elements below it, never anything the engine would read.
            pending.extend((c, DI) for c in children if _key(c) == DI)
            foreign = next((c for c in children if _key(c) != DI), None)
            if foreign is not None and (key, _key(foreign)) not in reported:
                reported.add((key, _key(foreign)))
                problems.append(_refusal(foreign, element))
            continue
        for child in children:
            child_key = _key(child)
            if child_key in GRAMMAR.get(key, frozenset()):
                pending.append((child, key))
            elif (key, child_key) not in reported:
                reported.add((key, child_key))
                problems.append(_refusal(child, element))
    if problems:
        problems.append(
            _(
                "Una definición de Planea solo lleva un evento de inicio, tareas de usuario, decisiones exclusivas "
                'con condiciones de la forma decision == "9.1" y eventos de fin.'
            )
        )
    return problems


def _refusal(element: etree._Element, parent: etree._Element) -> str:
    namespace, name = _local(element)
    where = _label(element) or _label(parent) or _local(parent)[1]  # its own name, else where it stands
    if namespace in (BPMN_NS, *DIAGRAM_NAMESPACES):
        what = REFUSED_NAMES.get(name, _("fuera de su lugar") if name in ALLOWED else name)
        return _("El elemento «%(element)s» (%(what)s) en «%(where)s» no se puede usar: Planea no lo ejecuta.") % {
            "element": name,
            "what": what,
            "where": where,
        }
    return _("La extensión «%(element)s» en «%(where)s» no es de Planea; quítela de la definición.") % {
        "element": name,
        "where": where,
    }


def _graph_problems(process: etree._Element) -> list[str]:
    problems: list[str] = []
    nodes = {el.get("id") or "": el for el in process.iter(*(f"{{{BPMN_NS}}}{name}" for name in FLOW_NODES))}
    flows = process.findall("bpmn:sequenceFlow", NS)
    outgoing: dict[str, list[etree._Element]] = {}
    for flow in flows:
        source, target = flow.get("sourceRef") or "", flow.get("targetRef") or ""
        for end in (source, target):
            if end not in nodes:
                problems.append(
                    _("El flujo «%(flow)s» une un elemento que no existe en el proceso («%(ref)s»).")
                    % {"flow": _label(flow), "ref": end[:80]}
                )
        outgoing.setdefault(source, []).append(flow)
        condition = flow.findtext("bpmn:conditionExpression", default="", namespaces=NS).strip()
        source_node = nodes.get(source)
        if condition and (source_node is None or _local(source_node)[1] != "exclusiveGateway"):
            problems.append(
                _("El flujo «%(flow)s» tiene una condición pero no sale de una decisión.") % {"flow": _label(flow)}
            )
        elif condition and condition_value(condition) is None:
            problems.append(
                _(
                    "La condición «%(condition)s» del flujo %(flow)s no es válida: Planea solo acepta "
                    'decision == "valor" (por ejemplo decision == "9.1").'
                )
                % {"condition": condition[:80], "flow": _label(flow)}
            )
    starts = [n for n in nodes.values() if _local(n)[1] == "startEvent"]
    if len(starts) > 1:
        problems.append(_("El proceso tiene %(n)s eventos de inicio; debe tener uno.") % {"n": len(starts)})
    for node_id, node in nodes.items():
        kind, out = _local(node)[1], outgoing.get(node_id, [])
        # The step table reads a decision's answers as the steps they lead to, and the start as leading to step 1:
        # a decision that leads to another decision (or a start that leads to one) has no step to show.
        leads_to = {_local(nodes[f.get("targetRef") or ""])[1] for f in out if (f.get("targetRef") or "") in nodes}
        if kind in ("exclusiveGateway", "startEvent") and leads_to - {"userTask", "endEvent"}:
            problems.append(
                _("«%(node)s» lleva directamente a otra decisión; debe llevar a un paso o al fin.")
                % {"node": _label(node)}
            )
        if kind == "exclusiveGateway":
            if not out:
                problems.append(_("La decisión «%(gateway)s» no tiene salidas.") % {"gateway": _label(node)})
            values: dict[str, str] = {}
            for flow in out:
                if len(out) == 1 or flow.get("id") == node.get("default"):
                    continue
                condition = flow.findtext("bpmn:conditionExpression", default="", namespaces=NS).strip()
                value = condition_value(condition)
                if value is None and condition:
                    continue  # reported above as a condition of the wrong shape
                if value is None:
                    problems.append(
                        _("La salida «%(flow)s» de «%(gateway)s» no tiene condición y no es la salida por defecto.")
                        % {"flow": _label(flow), "gateway": _label(node)}
                    )
                elif value in values:
                    problems.append(
                        _("Dos salidas de la decisión «%(gateway)s» comparan con el mismo valor «%(value)s».")
                        % {"gateway": _label(node), "value": value}
                    )
                values[value or ""] = flow.get("id") or ""
        elif kind == "endEvent":
            if out:
                problems.append(_("El evento de fin «%(event)s» no puede tener salidas.") % {"event": _label(node)})
        elif len(out) != 1:
            problems.append(
                _("«%(node)s» debe tener una sola salida (tiene %(n)s); para elegir entre caminos use una decisión.")
                % {"node": _label(node), "n": len(out)}
            )
    if problems or not starts:
        return problems
    return _reachability_problems(nodes, outgoing, starts[0].get("id") or "")


def _reachable(start: str, edges: dict[str, list[str]]) -> set[str]:
    seen, queue = {start}, deque([start])
    while queue:
        for nxt in edges.get(queue.popleft(), []):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def _reachability_problems(
    nodes: dict[str, etree._Element], outgoing: dict[str, list[etree._Element]], start: str
) -> list[str]:
    forward = {source: [f.get("targetRef") or "" for f in flows] for source, flows in outgoing.items()}
    backward: dict[str, list[str]] = {}
    for source, targets in forward.items():
        for target in targets:
            backward.setdefault(target, []).append(source)
    from_start = _reachable(start, forward)
    ends = [i for i, n in nodes.items() if _local(n)[1] == "endEvent"]
    to_end: set[str] = set()
    for end in ends:
        to_end |= _reachable(end, backward)
    problems = []
    for node_id, node in nodes.items():
        if _local(node)[1] != "userTask":
            continue
        if node_id not in from_start:
            problems.append(_("La tarea «%(task)s» no se alcanza desde el inicio.") % {"task": _label(node)})
        elif node_id not in to_end:
            problems.append(_("Desde la tarea «%(task)s» no se llega a ningún fin.") % {"task": _label(node)})
    return problems


def problems_of(root: etree._Element, process: etree._Element, tasks: Iterable[etree._Element]) -> list[str]:
    """Every reason the definition cannot run in Planea, in Spanish; empty when it can."""
    problems = _element_problems(root)
    if len(list(tasks)) > MAX_TASKS:
        problems.append(_("El proceso tiene más de %(max)s tareas.") % {"max": MAX_TASKS})
    return problems or _graph_problems(process)
