"""The navigation menu. An item shows only to people whose roles the policy table allows for its URL."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from html import escape
from typing import Any, NamedTuple

from django.urls import get_script_prefix, reverse
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from planea.core.addresses import prefix_of
from planea.org.access import policy_for


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    icon: str
    within: tuple[str, ...] = ()  # URL names (of one primary key) whose pages also belong to the item


@dataclass(frozen=True)
class NavSection:
    label: str | Promise
    items: tuple[NavItem, ...]


MENU: tuple[NavSection, ...] = (
    NavSection(
        _("Trabajo"),
        (
            NavItem(_("Bandeja"), "shell:home", "inbox"),
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
            NavItem(_("POM y POA"), "operations:list", "calendar3", within=("operations:reprogramming",)),
            NavItem(_("Catálogo de insumos"), "operations:catalog", "box-seam"),
            NavItem(_("Estadísticas"), "statistics:variables", "bar-chart-line"),
            NavItem(_("Pronósticos"), "forecasting:runs", "graph-up-arrow"),
            NavItem(
                _("Programación de metas (P5)"),
                "programming:start",
                "graph-up-arrow",
                within=("programming:comparison",),
            ),
        ),
    ),
    NavSection(
        _("Ejecución"),
        (
            NavItem(_("Tablero de ejecución"), "execution:dashboard", "speedometer2"),
            NavItem(_("Meses de ejecución (P6)"), "execution:months", "calendar-check"),
            NavItem(_("Informes cuatrimestrales"), "execution:report", "file-earmark-bar-graph"),
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


class MenuLink(NamedTuple):
    url: str
    icon: str
    label: str
    prefixes: tuple[str, ...]  # the pages under these addresses are the item's


def _prefixes(item: NavItem) -> tuple[str, ...]:
    url = reverse(item.url_name)
    return (url, *(prefix_of(name) for name in item.within)) if url != "/" else ()


@lru_cache(maxsize=256)
def _links(slugs: frozenset[str], language: str | None, prefix: str) -> tuple[tuple[str, tuple[MenuLink, ...]], ...]:
    """The sections and links a person holding the roles `slugs` may open, labels translated: the same for every
    request of those roles in a language, under one script prefix, while the process runs (the policy table and
    the menu are code)."""
    sections = []
    for section in MENU:
        links = tuple(
            MenuLink(reverse(item.url_name), item.icon, str(item.label), _prefixes(item))
            for item in section.items
            if (policy := policy_for(item.url_name)) is not None and policy.allows_roles(slugs)
        )
        if links:
            sections.append((str(section.label), links))
    return tuple(sections)


def menu_for(user: Any, current_path: str) -> list[dict[str, Any]]:
    sections = []
    for label, links in _links(user.role_slugs(), get_language(), get_script_prefix()):
        items = [
            {
                "label": link.label,
                "url": link.url,
                "icon": link.icon,
                "active": current_path == link.url or current_path.startswith(link.prefixes),
            }
            for link in links
        ]
        sections.append({"label": label, "items": items})
    return sections


def menu_html(sections: list[dict[str, Any]]) -> SafeString:
    """The sidebar's sections and links, built in one pass (a dozen links through the template engine cost more
    than the rest of the page's frame). Labels are escaped; addresses and icons are Planea's own."""
    parts = []
    for section in sections:
        label = escape(str(section["label"]))
        parts.append(f'<h2 class="sidebar-heading">{label}</h2><ul class="nav flex-column mb-3">')
        for item in section["items"]:
            active, current = (" active", ' aria-current="page"') if item["active"] else ("", "")
            parts.append(
                f'<li class="nav-item"><a class="nav-link{active}" href="{escape(item["url"])}"{current}>'
                f'<i class="bi bi-{escape(item["icon"])}" aria-hidden="true"></i> {escape(str(item["label"]))}</a></li>'
            )
        parts.append("</ul>")
    return mark_safe("".join(parts))
