from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "planea.jobs"
    label = "jobs"
    verbose_name = _("Trabajos en segundo plano")
