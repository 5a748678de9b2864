from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForecastingConfig(AppConfig):
    name = "planea.forecasting"
    label = "forecasting"
    verbose_name = _("Pronósticos")

    def ready(self) -> None:
        from . import p5_case  # noqa: F401  (the P5 case's links, step checks and step receiver)
