from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForecastingConfig(AppConfig):
    name = "planea.forecasting"
    label = "forecasting"
    verbose_name = _("Pronósticos")
