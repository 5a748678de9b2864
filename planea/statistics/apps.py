from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "planea.statistics"
    label = "statistics"
    verbose_name = _("Estadísticas")

    def ready(self) -> None:
        from . import request_aid  # noqa: F401  (what helps answer the requests for statistics)
