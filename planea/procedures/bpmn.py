"""BPMN 2.0 definitions generated from the manual: one lane per responsible role, a user task per numbered
activity, an exclusive gateway after each decision (with a default flow), and diagram layout (DI) so that the
files open in standard modelers and in the bpmn-js viewer.

Routing variable: a decision step stores the chosen next step in `decision` (e.g. "9.1"); conditions are Python
expressions evaluated by SpiffWorkflow.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from planea.documents.kinds import kind_for
from planea.org.roles import spanish_label

from .bpmn_reader import COPIES_SEPARATOR
from .manual import Procedure, Step

PLANEA_NS = "https://planea.igm.gob.gt/bpmn"

LANE_HEIGHT = 160
LANE_HEADER = 30
COLUMN = 150
TASK_W, TASK_H = 110, 70
GATEWAY = 50
EVENT = 36
LEFT = 60


RECEIVED_FROM_OUTSIDE = ("segeplan", "dirección general", "despacho superior", "recepción de", "sellado de recibido")


def document_use(step: Step, name: str) -> str:
    """How a step uses a document: consulted ("reference"), received from outside and uploaded ("receive"), or
    produced by the step, uploaded or issued by Planea ("produce")."""
    lowered, activity = name.lower(), step.activity.lower()
    if not step.produces_document:
        return "reference"
    if any(sender in lowered for sender in RECEIVED_FROM_OUTSIDE) or lowered.startswith("ficha"):
        return "receive"
    if "traslado" in lowered or "envío" in lowered:
        return "produce"
    if activity.startswith("recibe") and "traslada" not in activity:
        return "receive"
    return "produce"


def task_id(number: str) -> str:
    return "paso_" + number.replace(".", "_")


def gateway_id(number: str) -> str:
    return "decision_" + number.replace(".", "_")


def lane_id(role: str) -> str:
    return f"lane_{role}"


def target_id(number: str) -> str:
    return "fin" if number == "end" else task_id(number)


def short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def build(procedure: Procedure, version: int = 1) -> str:
    roles: list[str] = []
    for step in procedure.steps:
        if step.role not in roles:
            roles.append(step.role)
    process = f"Process_{procedure.key}"
    nodes: dict[str, tuple[str, float, float, float, float]] = {}  # id -> (role, x, y, w, h)
    flows: list[tuple[str, str, str, str | None, bool]] = []  # (id, source, target, condition, is_default)
    elements: list[str] = []

    def lane_y(role: str) -> float:
        return roles.index(role) * LANE_HEIGHT

    column = 0
    first_role = procedure.steps[0].role
    nodes["inicio"] = (first_role, LEFT, lane_y(first_role) + (LANE_HEIGHT - EVENT) / 2, EVENT, EVENT)
    elements.append('<bpmn:startEvent id="inicio" name="Inicio del procedimiento">{io:inicio}</bpmn:startEvent>')
    flows.append(("flujo_inicio", "inicio", task_id(procedure.steps[0].number), None, False))
    for step in procedure.steps:
        column += 1
        x: float = LEFT + column * COLUMN
        nodes[task_id(step.number)] = (step.role, x, lane_y(step.role) + (LANE_HEIGHT - TASK_H) / 2, TASK_W, TASK_H)
        extensions = "".join(
            f'<planea:document name={quoteattr(name)} kind="{kind_for(name)}" use="{document_use(step, name)}"'
            + (f" copies={quoteattr(COPIES_SEPARATOR.join(step.copies))}" if step.copies else "")
            + " />"
            for name in step.documents
        )
        elements.append(
            f'<bpmn:userTask id="{task_id(step.number)}" name={quoteattr(f"{step.number}. {short(step.activity)}")}>'
            f"<bpmn:documentation>{escape(step.activity)}</bpmn:documentation>"
            + (f"<bpmn:extensionElements>{extensions}</bpmn:extensionElements>" if extensions else "")
            + f"{{io:{task_id(step.number)}}}</bpmn:userTask>"
        )
        if step.decision:
            column += 1
            gx = LEFT + column * COLUMN + (TASK_W - GATEWAY) / 2
            gid = gateway_id(step.number)
            nodes[gid] = (step.role, gx, lane_y(step.role) + (LANE_HEIGHT - GATEWAY) / 2, GATEWAY, GATEWAY)
            flows.append((f"flujo_{task_id(step.number)}", task_id(step.number), gid, None, False))
            default_flow = f"flujo_{gid}_{branch_target(step.branches[0][1])}"
            elements.append(
                f'<bpmn:exclusiveGateway id="{gid}" name={quoteattr(step.decision)} default="{default_flow}">'
                f"{{io:{gid}}}</bpmn:exclusiveGateway>"
            )
            for index, (_label, target) in enumerate(step.branches):
                flows.append(
                    (
                        f"flujo_{gid}_{branch_target(target)}",
                        gid,
                        target_id(target),
                        None if index == 0 else f'decision == "{target}"',
                        index == 0,
                    )
                )
        else:
            for target in step.next:
                flows.append(
                    (
                        f"flujo_{task_id(step.number)}_{branch_target(target)}",
                        task_id(step.number),
                        target_id(target),
                        None,
                        False,
                    )
                )
    column += 1
    last_role = procedure.steps[-1].role
    end_x = LEFT + column * COLUMN + (TASK_W - EVENT) / 2
    nodes["fin"] = (last_role, end_x, lane_y(last_role) + (LANE_HEIGHT - EVENT) / 2, EVENT, EVENT)
    elements.append('<bpmn:endEvent id="fin" name="Fin del procedimiento">{io:fin}</bpmn:endEvent>')

    labels = {target: label for step in procedure.steps for label, target in step.branches}
    for flow_id, source, target, condition, _default in flows:
        name = ""
        if source.startswith("decision_"):
            target_number = target.removeprefix("paso_").replace("_", ".") if target != "fin" else "end"
            name = f" name={quoteattr(labels.get(target_number, ''))}"
        body = (
            f'<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{escape(condition)}'
            "</bpmn:conditionExpression>"
            if condition
            else ""
        )
        elements.append(
            f'<bpmn:sequenceFlow id="{flow_id}" sourceRef="{source}" targetRef="{target}"{name}>'
            f"{body}</bpmn:sequenceFlow>"
        )

    # Incoming and outgoing references on every node, as modelers write them (bpmnlint reads these).
    for nid in nodes:
        refs = "".join(f"<bpmn:incoming>{f[0]}</bpmn:incoming>" for f in flows if f[2] == nid) + "".join(
            f"<bpmn:outgoing>{f[0]}</bpmn:outgoing>" for f in flows if f[1] == nid
        )
        elements = [element.replace(f"{{io:{nid}}}", refs) for element in elements]
    width = LEFT + (column + 1) * COLUMN + 40
    lanes_xml = "".join(
        f'<bpmn:lane id="{lane_id(role)}" name={quoteattr(spanish_label(role))}>'
        + "".join(f"<bpmn:flowNodeRef>{nid}</bpmn:flowNodeRef>" for nid, n in nodes.items() if n[0] == role)
        + "</bpmn:lane>"
        for role in roles
    )
    shapes = [
        f'<bpmndi:BPMNShape id="Participant_{procedure.key}_di" bpmnElement="Participant_{procedure.key}" '
        f'isHorizontal="true"><dc:Bounds x="0" y="0" width="{width}" height="{len(roles) * LANE_HEIGHT}" />'
        "</bpmndi:BPMNShape>"
    ]
    for role in roles:
        shapes.append(
            f'<bpmndi:BPMNShape id="{lane_id(role)}_di" bpmnElement="{lane_id(role)}" isHorizontal="true">'
            f'<dc:Bounds x="{LANE_HEADER}" y="{lane_y(role)}" width="{width - LANE_HEADER}" '
            f'height="{LANE_HEIGHT}" /></bpmndi:BPMNShape>'
        )
    for nid, (_role, x, y, w, h) in nodes.items():
        marker = ' isMarkerVisible="true"' if nid.startswith("decision_") else ""
        shapes.append(
            f'<bpmndi:BPMNShape id="{nid}_di" bpmnElement="{nid}"{marker}>'
            f'<dc:Bounds x="{x:.0f}" y="{y:.0f}" width="{w}" height="{h}" /></bpmndi:BPMNShape>'
        )
    for flow_id, source, target, _c, _d in flows:
        shapes.append(
            f'<bpmndi:BPMNEdge id="{flow_id}_di" bpmnElement="{flow_id}">'
            + "".join(f'<di:waypoint x="{px:.0f}" y="{py:.0f}" />' for px, py in route(nodes[source], nodes[target]))
            + "</bpmndi:BPMNEdge>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
        'xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xmlns:planea="{PLANEA_NS}" id="Definitions_{procedure.key}" '
        'targetNamespace="https://planea.igm.gob.gt/procedimientos" '
        f'exporter="Planea" exporterVersion="{version}">\n'
        f'<bpmn:collaboration id="Collaboration_{procedure.key}">'
        f'<bpmn:participant id="Participant_{procedure.key}" name={quoteattr(f"{procedure.code} {procedure.name}")} '
        f'processRef="{process}" /></bpmn:collaboration>\n'
        f'<bpmn:process id="{process}" name={quoteattr(procedure.name)} isExecutable="true">'
        f"<bpmn:documentation>{escape(procedure.code)} · {escape(procedure.edition)}</bpmn:documentation>\n"
        f'<bpmn:laneSet id="LaneSet_{procedure.key}">{lanes_xml}</bpmn:laneSet>\n'
        + "\n".join(elements)
        + "\n</bpmn:process>\n"
        f'<bpmndi:BPMNDiagram id="Diagram_{procedure.key}"><bpmndi:BPMNPlane id="Plane_{procedure.key}" '
        f'bpmnElement="Collaboration_{procedure.key}">\n'
        + "\n".join(shapes)
        + "\n</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>\n</bpmn:definitions>\n"
    )


def branch_target(number: str) -> str:
    return "fin" if number == "end" else number.replace(".", "_")


def route(
    source: tuple[str, float, float, float, float], target: tuple[str, float, float, float, float]
) -> list[tuple[float, float]]:
    """Forward flows go right (with an elbow between lanes); return flows go back along the bottom of the lane."""
    _r1, sx, sy, sw, sh = source
    _r2, tx, ty, tw, th = target
    if tx > sx:
        start, end = (sx + sw, sy + sh / 2), (tx, ty + th / 2)
        if abs(start[1] - end[1]) < 1:
            return [start, end]
        middle = (start[0] + end[0]) / 2
        return [start, (middle, start[1]), (middle, end[1]), end]
    below = max(sy + sh, ty + th) + 25
    return [(sx + sw / 2, sy + sh), (sx + sw / 2, below), (tx + tw / 2, below), (tx + tw / 2, ty + th)]
