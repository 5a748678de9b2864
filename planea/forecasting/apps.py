from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForecastingConfig(AppConfig):
    name = "planea.forecasting"
    label = "forecasting"
    verbose_name = _("Pronósticos")

    def ready(self) -> None:
        from . import (  # noqa: F401  (the grid's hints; links, checks, receivers of P5; abandoned runs)
            grid_hints,
            p5_case,
            proposal_case,
            tasks,
        )
