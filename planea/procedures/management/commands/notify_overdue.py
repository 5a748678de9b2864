"""`python manage.py notify_overdue`: e-mail the people of every ready step past its due date (once per step).
Run it daily (cron or a scheduled task); the demo worker does not schedule it."""

from django.core.management.base import BaseCommand

from planea.procedures.deadlines import notify_overdue


class Command(BaseCommand):
    help = "Envía un aviso por correo de cada paso pendiente cuyo plazo venció (una sola vez por paso)."

    def handle(self, *args: object, **options: object) -> None:
        sent = notify_overdue()
        self.stdout.write(f"Avisos de pasos vencidos enviados: {sent}")
