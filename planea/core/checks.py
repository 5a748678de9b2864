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
