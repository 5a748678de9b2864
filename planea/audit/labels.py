"""How actions and object types are named to people (the stored codes stay stable for filters and exports)."""

from django.apps import apps
from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "create": _("Creación"),
    "update": _("Modificación"),
    "delete": _("Eliminación"),
    "import": _("Importación de archivo"),
    "import_create": _("Creación por importación"),
    "import_update": _("Modificación por importación"),
    "login": _("Inicio de sesión"),
    "logout": _("Cierre de sesión"),
    "login_failed": _("Intento fallido de inicio de sesión"),
    "lockout": _("Bloqueo por intentos fallidos"),
    "password_change": _("Cambio de contraseña"),
    "password_set": _("Contraseña asignada"),
    "job_start": _("Trabajo solicitado"),
    "job_done": _("Trabajo terminado"),
    "job_failed": _("Trabajo fallido"),
}


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))


def object_type_label(code: str) -> str:
    try:
        return str(apps.get_model(code)._meta.verbose_name)
    except (LookupError, ValueError):
        return code
