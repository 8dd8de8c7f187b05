"""The columns of the enterprise and place lists (`core.tables`)."""

from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from scpvn.core.tables import Column, Table, html_rows
from scpvn.registry.models import Enterprise

# a number no enterprise has, reversed into the detail link once and replaced per row
ID = 987654321987


class EnterpriseTable(Table):
    """The registry list's rows are built in Python (`html_rows`), not by the columns' cell
    templates: even compiled into one template, the 50 rows × 7 cells were a third of the
    page's time, the list people open most. The detail link is reversed once, its id put in
    per row; choice labels are looked up once per page."""

    empty = _("Không có doanh nghiệp nào.")
    css = "table-sm table-hover"
    # What a row is read as: the page's enterprises with `values_list`, as 50 enterprises
    # built as model objects with their unit, district and zone were 200 objects for 400
    # strings. (Only the page's rows: the count stays on the enterprise table alone.)
    values = (
        "pk",
        "tax_code",
        "name",
        "unit__name",
        "district__short_name",
        "vsic_code",
        "size",
        "industrial_zone__name",
        "distribution",
    )
    columns = (
        Column(_("Mã số thuế")),
        Column(_("Tên doanh nghiệp")),
        Column(_("Địa bàn")),
        Column(_("VSIC")),
        Column(_("Quy mô")),
        Column(_("KCN/CCN")),
        Column(_("Phân phối")),
    )

    def rows(self) -> SafeString:
        link = reverse("registry:enterprise_detail", args=[ID])
        sizes = {value: str(label) for value, label in Enterprise.Size.choices}
        distributions = {value: str(label) for value, label in Enterprise.Distribution.choices}
        return html_rows(
            '<tr><td><span class="font-monospace">{}</span></td><td><a href="{}">{}</a></td>'
            "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    tax_code,
                    link.replace(str(ID), str(pk)),
                    name,
                    unit or district or "",
                    vsic_code,
                    sizes.get(size, size),
                    zone or "",
                    distributions.get(distribution, distribution),
                )
                for pk, tax_code, name, unit, district, vsic_code, size, zone, distribution in (
                    self.objects.values_list(*self.values)
                )
            ),
            sep="",
        )


class PlaceTable(Table):
    empty = _("Chưa có cơ sở nào.")
    libraries = ("areas",)
    columns = (
        Column(_("Tên"), "{{ row.name }}"),
        Column(_("Loại"), "{{ row.get_kind_display }}"),
        Column(_("Hạng"), '{{ row.get_market_class_display|default:"" }}'),
        Column(_("Địa bàn"), '{{ row|area:"short" }}'),
        Column(
            _("Đơn vị vận hành"),
            "{% if row.operator %}<a href=\"{% url 'registry:enterprise_detail' row.operator_id %}\">"
            "{{ row.operator.name }}</a>{% endif %}",
        ),
    )
