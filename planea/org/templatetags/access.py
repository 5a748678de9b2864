"""`{% load access %}`: what the policy table lets the person open, for a page to offer only that."""

from django import template

from planea.org.access import is_allowed

register = template.Library()


@register.simple_tag(takes_context=True)
def allowed(context: template.Context, view_name: str) -> bool:
    """`{% allowed "org:unit_create" as can_edit %}`: the policy table decides what the page offers."""
    request = context.get("request")
    return bool(request and is_allowed(request.user, view_name))
