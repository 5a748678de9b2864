from django import template

from planea.audit.labels import action_label, object_type_label

register = template.Library()
register.filter("action_label", action_label)
register.filter("object_type_label", object_type_label)
