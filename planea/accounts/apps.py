from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "planea.accounts"
    label = "accounts"
    verbose_name = _("Cuentas")

    def ready(self) -> None:
        from . import signals  # noqa: F401
