"""Authentication of people: Django's model backend, reading the signed-in person with their roles at once."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from planea.core.params import INT64

from .models import person_with_roles


class PersonBackend(ModelBackend):
    """Every signed-in page reads the person and then their roles; here both come in one statement."""

    def get_user(self, user_id: Any) -> Any:
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        person = person_with_roles(pk) if 0 < pk <= INT64 else None
        return person if person is not None and self.user_can_authenticate(person) else None
