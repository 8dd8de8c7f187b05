from django import template

from scpvn.reports.services import vn_number

register = template.Library()


@register.filter
def vn(value) -> str:
    """A figure as the report prints it: 30000 → 30.000, None → —."""
    return vn_number(value)
