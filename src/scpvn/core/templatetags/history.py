"""Change-history labels in the catalog's languages.

django-simple-history labels its change types in English only ("Created", "Changed",
"Deleted") and ships no Vietnamese, so Vietnamese pages showed English. One filter names
them for every history list."""

from django import template
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

register = template.Library()

CHANGE_TYPES = {"+": _("Tạo mới"), "~": pgettext_lazy("history", "Sửa"), "-": _("Xóa")}


@register.filter
def change_type(record) -> str:
    """The label of a historical record's `history_type` (+, ~, -)."""
    return CHANGE_TYPES.get(record.history_type, record.history_type)
