"""Deployment checks of Planea's own settings (`manage.py check --deploy`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def trusted_proxies(app_configs: Any, **kwargs: Any) -> list[Warning]:
    """Behind a reverse proxy without PLANEA_TRUSTED_PROXIES every person has the proxy's address: a few failed
    sign-ins from anyone would lock everybody out, and the audit trail would record the proxy."""
    if settings.PLANEA_TRUSTED_PROXIES:
        return []
    return [
        Warning(
            "PLANEA_TRUSTED_PROXIES está vacía.",
            hint="Detrás de nginx o Apache en el mismo servidor use PLANEA_TRUSTED_PROXIES=127.0.0.1; sin proxy, "
            "silencie este aviso con SILENCED_SYSTEM_CHECKS.",
            id="planea.W001",
        )
    ]


@register(Tags.database, deploy=True)
def autovacuum(app_configs: Any, databases: Any = None, **kwargs: Any) -> list[Warning]:
    """PostgreSQL without autovacuum keeps neither statistics nor visibility up to date: a table that grew is planned
    as the small table it was (a step of P6 went from 3x to 11x its time over 1,000 cases) and changed rows pile up
    in every read. Checked with `check --deploy --database default`."""
    from django.db import connections

    warnings = []
    for alias in databases or []:
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        with connection.cursor() as cursor:
            cursor.execute("SHOW autovacuum")
            (state,) = cursor.fetchone()
        if state != "on":
            warnings.append(
                Warning(
                    f"autovacuum está apagado en la base PostgreSQL «{alias}».",
                    hint="Actívelo (autovacuum = on en postgresql.conf): sin él, las estadísticas y la visibilidad "
                    "de las filas envejecen y las consultas de Planea se vuelven lentas a medida que crecen las "
                    "tablas.",
                    id="planea.W002",
                )
            )
    return warnings
