"""The navigation menu. An item shows only to people whose roles the policy table allows for its URL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .authz import is_allowed


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    icon: str


@dataclass(frozen=True)
class NavSection:
    label: str | Promise
    items: tuple[NavItem, ...]


MENU: tuple[NavSection, ...] = (
    NavSection(
        _("Trabajo"),
        (
            NavItem(_("Bandeja"), "core:home", "inbox"),
            NavItem(_("Expedientes"), "procedures:case_list", "folder2-open"),
            NavItem(_("Procedimientos"), "procedures:register", "diagram-2"),
            NavItem(_("Indicadores del manual"), "procedures:indicators", "graph-up"),
            NavItem(_("Mis trabajos"), "jobs:list", "hourglass-split"),
        ),
    ),
    NavSection(
        _("Planificación"),
        (
            NavItem(_("Plan estratégico (PEI)"), "strategy:list", "bullseye"),
            NavItem(_("POM y POA"), "operations:list", "calendar3"),
            NavItem(_("Catálogo de insumos"), "operations:catalog", "box-seam"),
        ),
    ),
    NavSection(
        _("Organización"),
        (
            NavItem(_("Unidades organizativas"), "org:unit_list", "diagram-3"),
            NavItem(_("Centros de costo"), "org:costcenter_list", "geo-alt"),
            NavItem(_("Personas y roles"), "org:person_list", "people"),
        ),
    ),
    NavSection(_("Control"), (NavItem(_("Bitácora de auditoría"), "audit:event_list", "shield-check"),)),
)


def menu_for(user: Any, current_path: str) -> list[dict[str, Any]]:
    sections = []
    for section in MENU:
        items = []
        for item in section.items:
            if not is_allowed(user, item.url_name):
                continue
            url = reverse(item.url_name)
            active = current_path == url or (url != "/" and current_path.startswith(url))
            items.append({"label": item.label, "url": url, "icon": item.icon, "active": active})
        if items:
            sections.append({"label": section.label, "items": items})
    return sections
