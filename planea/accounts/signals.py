"""Security events in the audit trail: sign-in, sign-out, failed sign-in, lockout and password change."""

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from planea.audit.services import record
from planea.org.models import Person


def client_address(request: Any) -> str:
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


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
    record(
        actor=None,
        action="login_failed",
        object_type="org.person",
        object_repr=username,
        summary=f"Intento fallido de inicio de sesión como «{username}» desde {client_address(request)}",
    )


@receiver(user_locked_out)
def on_locked_out(sender: Any, request: Any, username: str | None = None, ip_address: str = "", **kwargs: Any) -> None:
    record(
        actor=None,
        action="lockout",
        object_type="org.person",
        object_repr=str(username or "")[:150],
        summary=f"Cuenta bloqueada temporalmente por intentos fallidos desde {ip_address}",
    )
