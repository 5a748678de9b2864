"""What of the operational plans waits in someone's inbox: the reprogramming requests that person may decide
(`reprogramming.refusal` says who may), each with a link to its page, where it is approved or rejected."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from planea.procedures.pending import PendingItem, register

from . import reprogramming
from .models import Reprogramming, ReprogrammingStatus


@register
def reprogramming_requests(user: Any) -> list[PendingItem]:
    if not user.has_any_role(reprogramming.APPROVER_ROLES):
        return []  # no query for who cannot decide one
    requests = (
        Reprogramming.objects.filter(status=ReprogrammingStatus.REQUESTED)
        .exclude(requested_by=user)
        .select_related("plan", "requested_by")
        .order_by("requested_at", "pk")
    )
    return [
        PendingItem(
            kind=_("Reprogramación"),
            reference=str(request),
            asked=_("Aprobar o rechazar la reprogramación que solicitó %(who)s")
            % {"who": request.requested_by.get_full_name() or request.requested_by.username},
            url=reverse("operations:reprogramming", args=[request.pk]),
            arrived=request.requested_at,
        )
        for request in requests
        if reprogramming.can_decide(request, user)
    ]
