"""`{% case_link case %}`: a case's number, linked to its page only for who may open it (the policy, the unit scope
and, for an outside reviewer, what was sent to them), so that no page offers a link that answers 403."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from planea.org.access import is_allowed

from ..concerns import sees_case
from ..models import Case
from ..sharing import may_read_case

register = template.Library()


def may_open_case(request: object, case: Case) -> bool:
    user = getattr(request, "user", None)
    return bool(
        user is not None
        and is_allowed(user, "procedures:case")
        and may_read_case(user, case.pk)
        and sees_case(request, case)  # type: ignore[arg-type]
    )


@register.simple_tag(takes_context=True)
def case_link(context: template.Context, case: Case | None) -> SafeString:
    if case is None:
        return SafeString("")
    if may_open_case(context.get("request"), case):
        return format_html('<a href="{}">{}</a>', reverse("procedures:case", args=[case.pk]), case.number)
    return format_html('<span data-testid="case-number">{}</span>', case.number)
