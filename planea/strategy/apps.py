from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategyConfig(AppConfig):
    name = "planea.strategy"
    verbose_name = _("Plan estratégico")

    def ready(self) -> None:
        from . import case_link  # noqa: F401  (connects the P1 step receivers)
