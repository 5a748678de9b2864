from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShellConfig(AppConfig):
    """The roof: the only app that may import every other. It holds the URL → policy table, the menu, the home
    page (the inbox) and the demo data, and declares the policies to `org.access` when the apps are ready."""

    name = "planea.shell"
    label = "shell"
    verbose_name = _("Marco de la aplicación")

    def ready(self) -> None:
        from planea.org.access import declare

        from .policies import POLICIES

        declare(POLICIES)
