"""`python manage.py export_procedures`: the six procedures as JSON on stdout (code, name, version, steps)."""

import json

from django.core.management.base import BaseCommand

from planea.procedures.manual import PROCEDURES


def procedure_json(procedure, version: int = 1) -> dict[str, object]:
    return {
        "code": procedure.code,
        "name": procedure.name,
        "version": version,
        "steps": [
            {
                "number": s.number,
                "activity": s.activity,
                "role": str(s.role),
                "documents": list(s.documents),
                "next": list(s.next),
            }
            for s in procedure.steps
        ],
    }


class Command(BaseCommand):
    help = "Imprime en JSON los procedimientos con sus pasos, responsables, documentos y pasos siguientes."

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(json.dumps([procedure_json(p) for p in PROCEDURES], ensure_ascii=False, indent=2))
