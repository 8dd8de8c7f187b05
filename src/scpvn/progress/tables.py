"""The columns of the activity list (`core.tables`)."""

from django.utils.translation import gettext_lazy as _

from scpvn.core.tables import Column, Table


class ActivityTable(Table):
    empty = _("Không có hoạt động nào.")
    libraries = ("areas",)
    columns = (
        Column(_("Ngày"), '{{ row.date|date:"SHORT_DATE_FORMAT" }}', css="text-nowrap"),
        Column(_("Hoạt động"), '<a href="{{ row.get_absolute_url }}">{{ row.title }}</a>'),
        Column(
            _("Nhiệm vụ / sản phẩm"),
            "{{ row.task.number }}{% if row.deliverable %} · {{ row.deliverable.display_code }}{% endif %}",
            css="small",
        ),
        Column(_("Số lượng"), '{{ row.quantity|floatformat:"-2g" }}', css="text-end"),
        Column(
            _("Đơn vị"),
            "{{ row.agency.code }}{% with where=row|area %}{% if where %} · {{ where }}"
            "{% endif %}{% endwith %}",
            css="small",
        ),
        Column(
            _("Trạng thái"),
            '<span class="badge text-bg-light border">{{ row.get_status_display }}</span>',
        ),
    )
