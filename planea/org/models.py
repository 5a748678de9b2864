"""Institution, org units (a tree with codes), cost centers, people and their role assignments."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, ClassVar, NamedTuple, cast

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from planea.core import rows

from .geography import Department
from .roles import UNIT_SCOPED_ROLES, Role

ORG_UNIT_CODE_RE = re.compile(r"^[0-9]{2}(\.[0-9]{2})*(\.U[0-9]{1,2})?$")  # ASCII digits only
COST_CENTER_CODE_RE = re.compile(r"^[0-9]{1,8}$")


def validate_org_unit_code(value: str) -> None:
    if not ORG_UNIT_CODE_RE.match(value or ""):
        raise ValidationError(
            _(
                "«%(value)s» no es un código de unidad válido: use grupos de dos dígitos separados por puntos, "
                "con sufijo opcional de unidad, por ejemplo 11, 11.01 u 11.01.U0."
            ),
            params={"value": value},
            code="invalid_code",
        )


def validate_cost_center_code(value: str) -> None:
    if not COST_CENTER_CODE_RE.match(value or ""):
        raise ValidationError(
            _("«%(value)s» no es un código de centro de costo válido: use solo dígitos (hasta 8)."),
            params={"value": value},
            code="invalid_code",
        )


class Institution(models.Model):
    name = models.CharField(_("nombre"), max_length=200)
    short_name = models.CharField(_("siglas"), max_length=20)
    address = models.CharField(_("dirección"), max_length=200, blank=True)
    phone = models.CharField(_("teléfono"), max_length=40, blank=True)
    email = models.EmailField(_("correo electrónico"), blank=True)
    website = models.CharField(_("sitio web"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("institución")
        verbose_name_plural = _("instituciones")

    def __str__(self) -> str:
        return f"{self.name} ({self.short_name})"

    @classmethod
    def current(cls) -> Institution | None:
        """The institution (the first stored), read with a statement written once."""
        columns = _institution_columns()
        found = rows.fetch(f"SELECT {columns.sql} FROM {_FIRST_INSTITUTION}", [])
        return columns.instance(found[0]) if found else None

    @classmethod
    def of_page(cls, user: Any) -> Institution | None:
        """The institution a page's header names: read with the signed-in person (`person_with_roles`), else on
        its own."""
        known = getattr(user, "_institution", _UNREAD)
        return cls.current() if known is _UNREAD else cast(Institution | None, known)


# Levels of the organization below the institution's root: the IGM has five (Dirección General to sección); a
# deeper tree is a mistake, and a chain of thousands made the import and the unit list take minutes or fail.
MAX_UNIT_DEPTH = 12


def too_deep() -> str:
    return _("la unidad quedaría a más de %(n)s niveles de la raíz; una institución no tiene tantos.") % {
        "n": MAX_UNIT_DEPTH
    }


class OrgUnitKind(models.TextChoices):
    DIRECCION_GENERAL = "direccion_general", _("Dirección General")
    SUBDIRECCION_GENERAL = "subdireccion_general", _("Subdirección General")
    SUBDIRECCION = "subdireccion", _("Subdirección")
    DEPARTAMENTO = "departamento", _("Departamento")
    UNIDAD = "unidad", _("Unidad")


class OrgUnitQuerySet(models.QuerySet["OrgUnit"]):
    def subtree_ids(self, roots: Iterable[int]) -> set[int]:
        """Ids of the given units and every unit below them (one query over the whole tree)."""
        children: dict[int | None, list[int]] = {}
        for pk, parent_id in OrgUnit.objects.values_list("pk", "parent_id"):
            children.setdefault(parent_id, []).append(pk)
        found: set[int] = set()
        stack = list(roots)
        while stack:
            pk = stack.pop()
            if pk in found:
                continue
            found.add(pk)
            stack.extend(children.get(pk, []))
        return found


class OrgUnit(models.Model):
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="units", verbose_name=_("institución")
    )
    code = models.CharField(_("código"), max_length=20, unique=True, validators=[validate_org_unit_code])
    name = models.CharField(_("nombre"), max_length=200)
    acronym = models.CharField(
        _("siglas"),
        max_length=12,
        blank=True,
        help_text=_("Prefijo de los oficios que emite la unidad, por ejemplo «PyP» en PyP-0042-2026."),
    )
    kind = models.CharField(_("tipo"), max_length=30, choices=OrgUnitKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("unidad superior"),
    )
    active = models.BooleanField(_("activa"), default=True)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unidad organizativa")
        verbose_name_plural = _("unidades organizativas")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        if self.parent_id and self.pk:
            if self.parent_id in OrgUnit.objects.subtree_ids([self.pk]):
                raise ValidationError(
                    {"parent": _("Una unidad no puede depender de sí misma ni de una unidad que depende de ella.")}
                )
        if self.parent is not None and len(self.parent.ancestors()) + 1 >= MAX_UNIT_DEPTH:
            raise ValidationError({"parent": capfirst(too_deep())})

    def document_prefix(self) -> str:
        """The unit's acronym, or the initials of its significant words when it has none."""
        if self.acronym:
            return self.acronym
        skip = {"de", "del", "la", "las", "los", "y", "e", "el", "en", "para"}
        return "".join(word[0].upper() for word in self.name.split() if word.lower() not in skip)[:8] or self.code

    def ancestors(self) -> list[OrgUnit]:
        chain: list[OrgUnit] = []
        unit = self.parent
        while unit is not None and len(chain) < MAX_UNIT_DEPTH:
            chain.append(unit)
            unit = unit.parent
        return list(reversed(chain))


class CostCenterKind(models.TextChoices):
    AIRPORT = "airport", _("Aeropuerto")
    LAND_BORDER = "land_border", _("Puesto fronterizo terrestre")
    SEAPORT = "seaport", _("Puerto marítimo")
    PASSPORT_CENTRE = "passport_centre", _("Centro de emisión de pasaportes")
    RETURNEE_CENTRE = "returnee_centre", _("Centro de recepción de retornados")
    CENTRAL_OFFICE = "central_office", _("Oficinas centrales")


class CostCenter(models.Model):
    code = models.CharField(_("código"), max_length=8, unique=True, validators=[validate_cost_center_code])
    name = models.CharField(_("nombre"), max_length=200)
    kind = models.CharField(_("tipo"), max_length=30, choices=CostCenterKind.choices)
    department = models.CharField(_("departamento"), max_length=2, choices=Department.choices)
    municipality = models.CharField(_("municipio"), max_length=100)
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="cost_centers", verbose_name=_("unidad organizativa")
    )
    active = models.BooleanField(_("activo"), default=True)

    class Meta:
        verbose_name = _("centro de costo")
        verbose_name_plural = _("centros de costo")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class PersonManager(UserManager["Person"]):
    pass


class Person(AbstractUser):
    """A person who works with Planea: staff, area liaisons and external reviewers. Logs in by user name."""

    position = models.CharField(_("cargo"), max_length=150, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("unidad organizativa"),
    )
    phone = models.CharField(_("teléfono"), max_length=40, blank=True)

    objects: ClassVar[PersonManager] = PersonManager()
    # The institution read with the person by `person_with_roles`, for the page header (`Institution.of_page`).
    _institution: Institution | None

    class Meta:
        verbose_name = _("persona")
        verbose_name_plural = _("personas")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def active_assignments(self) -> list[RoleAssignment]:
        """The person's active roles with their units, by role and unit code: read once per request (cached on the
        instance, which each request loads anew), for the menu, the policies, unit scopes and the home page."""
        cached: list[RoleAssignment] | None = getattr(self, "_active_assignments", None)
        if cached is None:
            cached = _active_assignments_of(self.pk) if self.pk and self.is_active else []
            self._active_assignments = cached
        return cached

    def role_slugs(self) -> frozenset[str]:
        """Roles the person holds in any org unit."""
        return frozenset(a.role for a in self.active_assignments())

    def has_any_role(self, roles: Iterable[str]) -> bool:
        return bool(self.role_slugs() & set(roles))


class RoleAssignment(models.Model):
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("persona")
    )
    role = models.CharField(_("rol"), max_length=50, choices=Role.choices)
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="role_assignments", verbose_name=_("unidad organizativa")
    )
    active = models.BooleanField(_("vigente"), default=True)

    class Meta:
        verbose_name = _("asignación de rol")
        verbose_name_plural = _("asignaciones de rol")
        ordering = ["person__username", "role"]
        constraints = [
            models.UniqueConstraint(fields=["person", "role", "org_unit"], name="unique_role_per_person_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()} · {self.org_unit.code}"

    @property
    def unit_scoped(self) -> bool:
        return self.role in UNIT_SCOPED_ROLES


_UNREAD = object()
_FIRST_INSTITUTION = f"{Institution._meta.db_table} i ORDER BY i.id LIMIT 1"


@lru_cache(maxsize=1)
def _institution_columns() -> rows.Columns[Institution]:
    return rows.Columns(Institution, rows.field_names(Institution), "i")


class UnitLabel(NamedTuple):
    code: str
    name: str


def active_units() -> list[UnitLabel]:
    """Code and name of every active unit, by code, for the menus that offer a unit (read with a statement written
    once: the plan page offers one template per unit)."""
    found = rows.fetch(f"SELECT u.code, u.name FROM {OrgUnit._meta.db_table} u WHERE u.active ORDER BY u.code", [])
    return [UnitLabel(code, name) for code, name in found]


@lru_cache(maxsize=1)
def _assignments_query() -> tuple[str, rows.Columns[RoleAssignment], rows.Columns[OrgUnit]]:
    """Every page reads the person's roles: one statement written once (the ORM took longer to build it than the
    database to run it)."""
    assignment = rows.Columns(RoleAssignment, rows.field_names(RoleAssignment), "a")
    unit = rows.Columns(OrgUnit, rows.field_names(OrgUnit), "u")
    sql = (
        f"SELECT {assignment.sql}, {unit.sql} FROM {RoleAssignment._meta.db_table} a"
        f" JOIN {OrgUnit._meta.db_table} u ON u.id = a.org_unit_id"
        " WHERE a.person_id = %s AND a.active ORDER BY a.role, u.code, a.id"
    )
    return sql, assignment, unit


@lru_cache(maxsize=1)
def _person_query() -> tuple[str, rows.Columns[Person]]:
    """The person with their active roles and units (`_assignments_query`'s columns) and the institution, in one
    statement."""
    _sql, assignment, unit = _assignments_query()
    person = rows.Columns(Person, rows.field_names(Person), "p")
    institution = _institution_columns()
    sql = (
        f"SELECT {person.sql}, {institution.sql}, {assignment.sql}, {unit.sql} FROM {Person._meta.db_table} p"
        f" LEFT JOIN (SELECT * FROM {_FIRST_INSTITUTION}) i ON 1 = 1"
        f" LEFT JOIN {RoleAssignment._meta.db_table} a ON a.person_id = p.id AND a.active"
        f" LEFT JOIN {OrgUnit._meta.db_table} u ON u.id = a.org_unit_id"
        " WHERE p.id = %s ORDER BY a.role, u.code, a.id"
    )
    return sql, person


def person_with_roles(person_id: int) -> Person | None:
    """The person, their active roles already read (`active_assignments`), and the institution (`Institution.
    of_page`): what every signed-in page needs, in one round trip instead of three."""
    sql, person_columns = _person_query()
    _sql, assignment, unit = _assignments_query()
    institution = _institution_columns()
    found = rows.fetch(sql, [person_id])
    if not found:
        return None
    person: Person = person_columns.instance(found[0])
    at = person_columns.width
    person._institution = institution.instance(found[0], at) if found[0][at] is not None else None
    at += institution.width
    assignments = []
    for row in found:
        if row[at] is None:  # no active role: the joined columns are empty
            continue
        role_assignment: RoleAssignment = assignment.instance(row, at)
        role_assignment.org_unit = unit.instance(row, at + assignment.width)
        assignments.append(role_assignment)
    person._active_assignments = assignments if person.is_active else []
    return person


def _active_assignments_of(person_id: int) -> list[RoleAssignment]:
    sql, assignment, unit = _assignments_query()
    found = []
    for row in rows.fetch(sql, [person_id]):
        role_assignment: RoleAssignment = assignment.instance(row)
        role_assignment.org_unit = unit.instance(row, assignment.width)
        found.append(role_assignment)
    return found
