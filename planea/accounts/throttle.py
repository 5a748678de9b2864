"""Sign-in limits: five failures for one user name from one address lock that pair (django-axes), and failures
from one address, whatever the user names, lock the address once they reach PLANEA_LOGIN_ADDRESS_FAILURE_LIMIT
within the cool-off window. Addresses come from `core.client_address` (trusted proxies only)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

USERNAME_LENGTH = 150  # the longest user name a person has; anything typed beyond it is not one


def username_of(request: Any, credentials: dict[str, Any] | None) -> str:
    """The user name tried, cut to the length of a real one (axes keeps it in a 255-character column)."""
    field = settings.AXES_USERNAME_FORM_FIELD
    value = (credentials or {}).get(field) if credentials else request.POST.get(field, "")
    return str(value or "")[:USERNAME_LENGTH]


def window_start() -> Any:
    return timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME)


def address_failures(address: str) -> int:
    """Failed sign-ins from `address` within the cool-off window, all user names together."""
    attempts = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=window_start())
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


def address_locked(request: Any) -> bool:
    address = getattr(request, "axes_ip_address", "")
    locked = bool(address) and address_failures(address) >= settings.PLANEA_LOGIN_ADDRESS_FAILURE_LIMIT
    if locked:
        request.planea_address_locked = True  # the lockout page says why
    return locked


def lockout_response(request: Any, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """The lockout page (AXES_LOCKOUT_CALLABLE): how long it lasts in minutes, and whether the user name or the
    whole address was locked."""
    context = {
        "minutes": round(settings.AXES_COOLOFF_TIME * 60),
        "address": getattr(request, "planea_address_locked", False),
    }
    return render(request, "accounts/locked_out.html", context, status=429)


class AddressLimitedHandler(AxesDatabaseHandler):
    def is_locked(self, request: Any, credentials: dict[str, Any] | None = None) -> bool:
        """Refuses even the right password while the pair or the address is locked."""
        return super().is_locked(request, credentials) or address_locked(request)

    def user_login_failed(self, sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
        """After axes has counted the failure: the address limit answers with the lockout page too."""
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and not getattr(request, "axes_locked_out", False) and address_locked(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )
