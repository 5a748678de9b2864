"""The BPMN definitions follow the manual: every numbered row is a user task in its responsible's lane, decisions
are exclusive gateways with a default flow, and every return loop runs in SpiffWorkflow."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from lxml import etree
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.parser import BpmnParser
from SpiffWorkflow.util.task import TaskState

from planea.procedures.bpmn import build
from planea.procedures.definitions import definition_path
from planea.procedures.manual import P1, P2, P3, PROCEDURES, Procedure

NS = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL"}


def workflow(procedure: Procedure) -> BpmnWorkflow:
    parser = BpmnParser()
    parser.add_bpmn_file(str(definition_path(procedure)))
    wf = BpmnWorkflow(parser.get_spec(f"Process_{procedure.key}"))
    wf.do_engine_steps()
    return wf


def run(procedure: Procedure, choices: dict[str, list[str]]) -> list[str]:
    """Complete ready tasks in order, answering decisions from `choices`; return the step numbers done."""
    wf = workflow(procedure)
    done: list[str] = []
    for _ in range(200):
        ready = wf.get_tasks(state=TaskState.READY, manual=True)
        if not ready:
            break
        task = ready[0]
        number = task.task_spec.bpmn_id.removeprefix("paso_").replace("_", ".")
        done.append(number)
        if choices.get(number):
            task.data["decision"] = choices[number].pop(0)
        task.run()
        wf.do_engine_steps()
    assert wf.is_completed()
    return done


@pytest.mark.parametrize("procedure", PROCEDURES, ids=lambda p: p.key)
def test_shipped_files_match_the_manual(procedure):
    assert definition_path(procedure).read_text(encoding="utf-8") == build(procedure)


@pytest.mark.parametrize("procedure", PROCEDURES, ids=lambda p: p.key)
def test_every_row_is_a_user_task_in_its_role_lane(procedure):
    tree = etree.parse(str(definition_path(procedure)))
    tasks = {t.get("id", ""): t for t in tree.iterfind(".//bpmn:userTask", NS)}
    assert sorted(tasks) == sorted("paso_" + s.number.replace(".", "_") for s in procedure.steps)
    lanes = {
        ref.text: lane.get("id").removeprefix("lane_")
        for lane in tree.iterfind(".//bpmn:lane", NS)
        for ref in lane.iterfind("bpmn:flowNodeRef", NS)
    }
    for step in procedure.steps:
        assert lanes["paso_" + step.number.replace(".", "_")] == step.role
    for gateway in tree.iterfind(".//bpmn:exclusiveGateway", NS):
        assert gateway.get("default"), gateway.get("id")


def test_p1_return_loops_and_segeplan_review():
    done = run(P1, {"9": ["9.1", "9.2", "9.2"], "9.1": ["6"], "10": ["10.2", "10.1"], "10.2": ["7"]})
    assert done == [
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
        "8",
        "9",
        "9.1",
        "6",
        "7",
        "8",
        "9",
        "9.2",
        "10",
        "10.2",
        "7",
        "8",
        "9",
        "9.2",
        "10",
        "10.1",
        "11",
        "12",
    ]


@pytest.mark.parametrize("target", ["4", "5", "6", "7"])
def test_p1_reviewer_can_send_back_to_each_frame(target):
    done = run(P1, {"9": ["9.1", "9.2"], "9.1": [target], "10": ["10.1"]})
    assert done[9:11] == ["9.1", target]


def test_p2_return_goes_back_to_the_anteproyectos():
    done = run(P2, {"10": ["10.2", "10.1"]})
    assert done[-6:] == ["10", "10.2", "9", "10", "10.1", "11"]


def test_p3_return_goes_back_to_step_5():
    done = run(P3, {"6": ["6.2", "6.1"]})
    assert done[-6:] == ["6", "6.2", "5", "6", "6.1", "7"]


@pytest.mark.django_db
def test_export_procedures_json_follows_the_manual():
    out = StringIO()
    call_command("export_procedures", stdout=out)
    data = json.loads(out.getvalue())
    assert [p["code"] for p in data] == [f"11.01.U0.P{n}" for n in range(1, 7)]
    for exported, procedure in zip(data, PROCEDURES, strict=True):
        assert exported["name"] == procedure.name and exported["version"] == 1
        assert exported["steps"] == [
            {
                "number": s.number,
                "activity": s.activity,
                "role": str(s.role),
                "documents": list(s.documents),
                "next": list(s.next),
            }
            for s in procedure.steps
        ]
    p1 = {s["number"]: s for s in data[0]["steps"]}
    assert p1["9.1"]["next"] == ["4", "5", "6", "7"] and p1["9"]["next"] == ["9.1", "9.2"]
    assert p1["12"]["next"] == ["end"] and p1["9.1"]["role"] == "subdirector_planificacion"
    p1 = {s["number"]: s for s in data[0]["steps"]}
    assert p1["9.1"]["next"] == ["4", "5", "6", "7"] and p1["9.1"]["role"] == "subdirector_planificacion"
    assert p1["9"]["next"] == ["9.1", "9.2"] and p1["12"]["next"] == ["end"]
    assert p1["3"]["role"] == "jefe_planes_programas" and p1["3"]["documents"] == ["Oficio de solicitud"]
    p5 = {s["number"]: s for s in data[4]["steps"]}
    assert p5["1"]["role"] == "profesional_planes_programas" and p5["8"]["role"] == "jefe_planes_programas"
    assert all(p["version"] == 1 for p in data)
