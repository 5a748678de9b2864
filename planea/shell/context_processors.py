from typing import Any

from django.http import HttpRequest

from planea.core.frame import frame
from planea.org.models import Institution

from .navigation import menu_for, menu_html


def page(request: HttpRequest) -> dict[str, Any]:
    """What the base layout needs: its constant parts, the institution's name and the person's menu."""
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    menu = menu_for(user, request.path) if signed_in else []
    return {"frame": frame(), "institution": Institution.of_page(user), "nav_menu": menu_html(menu)}
