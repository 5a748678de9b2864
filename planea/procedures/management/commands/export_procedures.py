"""`python manage.py export_procedures`: the procedures as JSON on stdout, from the current version of each
definition in the database (code, name, version, steps with number, activity, role, documents and next)."""

import json
from typing import Any

from django.core.management.base import BaseCommand

from planea.procedures.models import Definition
from planea.procedures.versions import latest_definitions


def procedure_json(definition: Definition) -> dict[str, Any]:
    return {
        "code": definition.code,
        "name": definition.name,
        "version": definition.version,
        "steps": [
            {
                "number": step["number"],
                "activity": step["activity"],
                "role": step["role"],
                "documents": [doc["name"] for doc in step["documents"]],
                "next": list(step["next"]),
            }
            for step in definition.steps
        ],
    }


class Command(BaseCommand):
    help = "Imprime en JSON los procedimientos vigentes con sus pasos, responsables, documentos y pasos siguientes."

    def handle(self, *args: object, **options: object) -> None:
        data = [procedure_json(d) for d in sorted(latest_definitions(), key=lambda d: d.code)]
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
