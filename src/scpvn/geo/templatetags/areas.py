"""`{{ record|area }}`: where a record is (`geo.areas.area_name`); `{{ record|area:"short" }}`
names an old district by its short name, for lists."""

from django import template

from scpvn.geo.areas import area_name

register = template.Library()


@register.filter
def area(record, form: str = "") -> str:
    return area_name(record, short=form == "short")
