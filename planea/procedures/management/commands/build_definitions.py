"""`python manage.py build_definitions`: regenerate the shipped BPMN files from the manual's transcription."""

from django.core.management.base import BaseCommand

from planea.procedures.bpmn import build
from planea.procedures.definitions import definition_path
from planea.procedures.manual import PROCEDURES


class Command(BaseCommand):
    help = "Genera los archivos BPMN de los seis procedimientos a partir del manual."

    def handle(self, *args: object, **options: object) -> None:
        for procedure in PROCEDURES:
            path = definition_path(procedure)
            path.parent.mkdir(exist_ok=True)
            path.write_text(build(procedure), encoding="utf-8")
            self.stdout.write(f"{path.name}: {len(procedure.steps)} pasos")
