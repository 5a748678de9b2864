"""The role slugs of Planea (DESIGN.md §5). Exports and scripts rely on these exact slugs."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DIRECTOR_GENERAL = "director_general", _("Director(a) General")
    SUBDIRECTOR_PLANIFICACION = "subdirector_planificacion", _("Subdirector(a) de Planificación")
    JEFE_PLANES_PROGRAMAS = "jefe_planes_programas", _("Jefe(a) de Planes y Programas")
    PROFESIONAL_PLANES_PROGRAMAS = "profesional_planes_programas", _("Profesional de Planes y Programas")
    ENLACE_AREA = "enlace_area", _("Enlace de área administrativa")
    SUBDIRECCION_FINANCIERA = "subdireccion_financiera", _("Subdirección Financiera")
    SUBDIRECCION_TECNICA_ADMINISTRATIVA = (
        "subdireccion_tecnica_administrativa",
        _("Subdirección Técnica Administrativa"),
    )
    ESTADISTICA = "estadistica", _("Departamento de Estadística")
    AUDITORIA_INTERNA = "auditoria_interna", _("Auditoría Interna")
    SEGEPLAN = "segeplan", _("Revisor(a) de SEGEPLAN")
    ADMINISTRADOR = "administrador", _("Administrador(a) del sistema")


ALL_ROLES: frozenset[str] = frozenset(Role.values)
# Roles whose scope is limited to the org units they are assigned to (and the units below them).
UNIT_SCOPED_ROLES: frozenset[str] = frozenset({Role.ENLACE_AREA})
# Roles from outside the institution: they see only what is sent to them.
EXTERNAL_ROLES: frozenset[str] = frozenset({Role.SEGEPLAN})
INTERNAL_ROLES: frozenset[str] = ALL_ROLES - EXTERNAL_ROLES


def spanish_label(role: str) -> str:
    """The role's name in Spanish whatever language is active: for documents that are always in Spanish (BPMN lanes,
    the printed manual)."""
    from django.utils import translation

    with translation.override("es"):
        return str(Role(role).label)
