from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def load_definitions(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """After migrating, version 1 of each procedure is loaded from the shipped BPMN files when missing."""
    from .versions import load_shipped_definitions

    if using == "default":
        load_shipped_definitions()


class ProceduresConfig(AppConfig):
    name = "planea.procedures"
    label = "procedures"
    verbose_name = _("Procedimientos")

    def ready(self) -> None:
        post_migrate.connect(load_definitions, sender=self)
        from . import sharing, step_requests  # noqa: F401  (register their pending decisions for the inbox)
