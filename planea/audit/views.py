from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from planea.core import params

from .labels import action_label
from .models import AuditEvent


def event_list(request: HttpRequest) -> HttpResponse:
    events = AuditEvent.objects.select_related("actor").order_by("-seq")
    filters = {k: params.text(request.GET, k) for k in ("object", "person", "action", "desde", "hasta")}
    problems: list[str] = []
    if filters["object"]:
        term = filters["object"]
        events = events.filter(
            Q(object_repr__icontains=term)
            | Q(object_type__icontains=term)
            | Q(object_id=term)
            | Q(summary__icontains=term)
        )
    if filters["person"]:
        events = events.filter(actor_username=filters["person"])
    if filters["action"]:
        events = events.filter(action=filters["action"])
    tz = timezone.get_current_timezone()
    for key, label, lookup, shift in (
        ("desde", _("Desde"), "occurred_at__gte", 0),
        ("hasta", _("Hasta"), "occurred_at__lt", 1),
    ):
        if filters[key]:
            day = params.day(request.GET, key)
            if day is None:
                problems.append(
                    _("«%(label)s»: escriba una fecha entre 1900 y 2100 como dd/mm/aaaa.") % {"label": label}
                )
            else:
                moment = dt.datetime.combine(day + dt.timedelta(days=shift), dt.time.min, tzinfo=tz)
                events = events.filter(**{lookup: moment})
    page = Paginator(events, 50).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    actors = get_user_model().objects.filter(audit_events__isnull=False).distinct()
    context = {
        "page": page,
        "filters": filters,
        "problems": problems,
        "people": sorted(
            ((person.get_username(), str(person)) for person in actors),
            key=lambda option: (option[1].casefold(), option[0]),
        ),
        "actions": sorted(
            (
                (code, action_label(code))
                for code in AuditEvent.objects.order_by().values_list("action", flat=True).distinct()
            ),
            key=lambda option: option[1].casefold(),
        ),
        "query": query.urlencode(),
    }
    return render(request, "audit/event_list.html", context, status=400 if problems else 200)


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(AuditEvent.objects.select_related("actor"), pk=pk)
    return render(request, "audit/event_detail.html", {"event": event})
