"""Agencies shown with the name the plan on the page wrote, not the name they carry today."""

from django import template

register = template.Library()


@register.filter
def named_in(agency, names: dict[int, str]) -> str:
    """`{{ task.lead|named_in:names }}` with `names = plan.agency_names()`."""
    return (names or {}).get(agency.pk) or agency.name
