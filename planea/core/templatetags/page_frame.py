"""`{% page_top %}`: the header and menu of the page frame (`core.frame.page_top`), from the page's context."""

from django import template
from django.utils.safestring import SafeString

from planea.core import frame

register = template.Library()


@register.simple_tag(takes_context=True)
def page_top(context: template.Context) -> SafeString:
    return frame.page_top(
        context["frame"],
        request=context.get("request"),
        user=context.get("user"),
        csrf_token=context.get("csrf_token"),
        institution=context.get("institution"),
        nav_menu=context.get("nav_menu") or "",
    )
