"""The shipped BPMN files (version 1 of each procedure), generated from `manual.py` by `build_definitions`."""

from __future__ import annotations

from pathlib import Path

from .manual import PROCEDURES, Procedure

DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"


def definition_path(procedure: Procedure) -> Path:
    return DEFINITIONS_DIR / f"{procedure.code}.bpmn"


def by_code(code: str) -> Procedure:
    for procedure in PROCEDURES:
        if procedure.code == code or procedure.key == code:
            return procedure
    raise KeyError(code)
