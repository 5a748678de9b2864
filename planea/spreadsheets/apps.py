from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpreadsheetsConfig(AppConfig):
    """Excel templates and all-or-nothing imports with row and column errors in Spanish."""

    name = "planea.spreadsheets"
    label = "spreadsheets"
    verbose_name = _("Hojas de cálculo")
