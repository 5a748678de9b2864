"""Security events in the audit trail: sign-in, sign-out, failed sign-in, lockout and password change.

Failed sign-ins and lockouts are folded: one event of each per address and cool-off window, so that a flood of
attempts with random user names writes a handful of permanent events, not thousands.
The counts of every attempt stay in django-axes' table for the window."""

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from planea.audit.models import AuditEvent
from planea.audit.services import record
from planea.core.client_address import client_address
from planea.org.models import Person

from .throttle import address_failures, window_start


def _already_recorded(action: str, address: str) -> bool:
    return AuditEvent.objects.filter(action=action, object_id=address[:64], occurred_at__gte=window_start()).exists()


@receiver(user_logged_in)
def on_login(sender: Any, request: Any, user: Person, **kwargs: Any) -> None:
    record(actor=user, action="login", instance=user, summary=f"Inicio de sesión desde {client_address(request)}")


@receiver(user_logged_out)
def on_logout(sender: Any, request: Any, user: Person | None, **kwargs: Any) -> None:
    if user is not None:
        record(actor=user, action="logout", instance=user, summary="Cierre de sesión")


@receiver(user_login_failed)
def on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    username = str(credentials.get("username", ""))[:150]
    address = client_address(request)
    if _already_recorded("login_failed", address):
        return  # counted by axes; the first failure of this address in the window is on record
    record(
        actor=None,
        action="login_failed",
        object_type="accounts.address",
        object_id=address[:64],
        object_repr=username,
        summary=f"Intento fallido de inicio de sesión como «{username}» desde {address}; los siguientes intentos "
        "fallidos desde esta dirección en los próximos minutos se cuentan sin repetirse en la bitácora",
    )


@receiver(user_locked_out)
def on_locked_out(sender: Any, request: Any, username: str | None = None, ip_address: str = "", **kwargs: Any) -> None:
    name = str(username or "")[:150]
    if _already_recorded("lockout", ip_address):
        return
    failures = address_failures(ip_address)
    record(
        actor=None,
        action="lockout",
        object_type="accounts.address",
        object_id=ip_address[:64],
        object_repr=name,
        after={"address": ip_address, "failures_from_address": failures},
        summary=f"Acceso bloqueado temporalmente para «{name}» desde {ip_address} ({failures} intentos fallidos "
        "desde esa dirección)",
    )
