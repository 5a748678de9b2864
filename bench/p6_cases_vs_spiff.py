"""Benchmark: 1,000 cases of P6 (reportes de ejecución de metas físicas) end to end through Planea's services —
start, supporting documents, every step completed by its role, audit events, inbox rows — against raw
SpiffWorkflow running the same definition with a serialize/restore around every step, measured in the same run.

Prints the time per case of each and two ratios, each the median over blocks of 50 cases run alternately: the
whole case against Spiff, and its steps alone (starting the case and completing each step, what Spiff does in the
baseline), without uploading the documents or reading the inbox between steps. BENCH_CASES changes the number of
cases.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
CASES = int(os.environ.get("BENCH_CASES", "1000"))
BLOCK = min(50, CASES)
T = TypeVar("T")


class RawSpiff:
    """The same definition run by SpiffWorkflow alone, serializing to JSON and restoring around every user task."""

    def __init__(self, xml: str, process_id: str) -> None:
        from SpiffWorkflow.bpmn.parser import BpmnParser
        from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer

        parser = BpmnParser()
        parser.add_bpmn_str(xml.encode("utf-8"), filename="p6.bpmn")
        self.spec = parser.get_spec(process_id)
        self.serializer = BpmnWorkflowSerializer()

    def run(self, cases: int) -> float:
        """Seconds for `cases` runs of the process."""
        from SpiffWorkflow.bpmn import BpmnWorkflow
        from SpiffWorkflow.util.task import TaskState

        start = time.perf_counter()
        for _ in range(cases):
            workflow = BpmnWorkflow(self.spec)
            workflow.do_engine_steps()
            state = self.serializer.serialize_json(workflow)
            while True:
                workflow = self.serializer.deserialize_json(state)
                ready = workflow.get_tasks(state=TaskState.READY, manual=True)
                if not ready:
                    break
                ready[0].run()
                workflow.do_engine_steps()
                state = self.serializer.serialize_json(workflow)
            assert workflow.is_completed()
        return time.perf_counter() - start


class Stopwatch:
    """The seconds spent inside the functions it times."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def timed(self, function: Callable[..., T]) -> Callable[..., T]:
        def timed_call(*args: Any, **kwargs: Any) -> T:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start

        return timed_call


def main() -> None:
    data_dir = tempfile.mkdtemp(prefix="planea-bench-")
    os.environ["PLANEA_DATA_DIR"] = data_dir
    os.environ["PLANEA_MEDIA_ROOT"] = str(Path(data_dir) / "media")
    sys.path.insert(0, str(ROOT))
    from bench.database import prepare, save, settle

    database = prepare()

    from planea.org.demo import seed_organization
    from planea.org.models import Person
    from planea.procedures import cases, notifications
    from planea.procedures.drive import step_through
    from planea.procedures.manual import P6
    from planea.procedures.models import CaseStatus, Definition

    seed_organization()
    definition = Definition.objects.get(code=P6.code, version=1)
    people = {p.username: p for p in Person.objects.all()}
    steps_per_case = len(definition.steps)

    spiff = RawSpiff(definition.bpmn_xml, definition.process_id)

    steps = Stopwatch()  # time inside the steps themselves: starting the case and completing each step
    cases.start_case = steps.timed(cases.start_case)
    cases.complete = steps.timed(cases.complete)

    def planea_cases(count: int, first: int) -> float:
        start = time.perf_counter()
        with notifications.muted():
            for n in range(first, first + count):
                case = cases.start_case(
                    code=definition.code,
                    title=f"Ejecución {n}",
                    subject=f"Mes {n % 12 + 1}",
                    actor=people["jefe_planes_programas"],
                )
                done = step_through(case, people=people)
                assert len(done) == steps_per_case and case.status == CaseStatus.COMPLETED
        return time.perf_counter() - start

    # Both run in alternating blocks, so that a machine that slows down or speeds up during the run weighs on both
    # alike; the ratio is the median of the blocks' ratios.
    spiff.run(BLOCK)
    planea_cases(BLOCK, CASES)  # warm-up, not counted
    blocks = []  # (Spiff, Planea whole cases, Planea steps alone)
    for first in range(0, CASES, BLOCK):
        settle(vacuum=False)  # as autovacuum does while the tables of cases grow; not timed
        spiff_seconds = spiff.run(BLOCK)
        before = steps.seconds
        blocks.append((spiff_seconds, planea_cases(BLOCK, first), steps.seconds - before))
    baseline = sum(b for b, _p, _s in blocks)
    planea = sum(p for _b, p, _s in blocks)
    stepping = sum(s for _b, _p, s in blocks)
    result = {
        "benchmark": "p6_cases_vs_spiff",
        "cases": CASES,
        "steps_per_case": steps_per_case,
        "spiff_ms_per_case": round(baseline / CASES * 1000, 2),
        "planea_ms_per_case": round(planea / CASES * 1000, 2),
        "planea_ms_per_step": round(planea / CASES / steps_per_case * 1000, 2),
        "steps_ms_per_case": round(stepping / CASES * 1000, 2),
    }
    result["ratio"] = round(statistics.median(p / b for b, p, _s in blocks), 2)
    result["steps_ratio"] = round(statistics.median(s / b for b, _p, s in blocks), 2)
    print(f"p6_cases_vs_spiff ({database}) — {CASES} expedientes de P6, {steps_per_case} pasos cada uno")
    print(f"  SpiffWorkflow solo (serializar/restaurar por paso)  {result['spiff_ms_per_case']:8.2f} ms por expediente")
    print(
        f"  Planea (servicios, documentos, bitácora, bandeja)   {result['planea_ms_per_case']:8.2f} ms por expediente"
        f"  ({result['planea_ms_per_step']:.2f} ms por paso)"
    )
    print(
        f"  de ellos, los pasos (iniciar y completar, sin cargar documentos ni leer la bandeja)"
        f"  {result['steps_ms_per_case']:8.2f} ms por expediente"
    )
    print(f"  razón Planea/Spiff  expediente completo {result['ratio']:.2f}x · pasos {result['steps_ratio']:.2f}x")
    save(result, database)


if __name__ == "__main__":
    main()
