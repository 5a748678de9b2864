from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExecutionConfig(AppConfig):
    name = "planea.execution"
    label = "execution"
    verbose_name = _("Ejecución de metas físicas")

    def ready(self) -> None:
        from . import (
            p6_case,  # noqa: F401  (links, checks, oficio draft and receiver of P6)
            returned,  # noqa: F401  (the inbox's months to decide again)
        )
