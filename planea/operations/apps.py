from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "planea.operations"
    verbose_name = _("Planes operativos")

    def ready(self) -> None:
        from . import (
            case_link,  # noqa: F401  (connects the P2 step receivers)
            concerns,  # noqa: F401  (the P2 case concerns the areas with goals in its POA)
            inbox,  # noqa: F401  (registers the reprogramming requests as pending decisions)
        )
