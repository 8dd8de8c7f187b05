"""The columns of the enterprise and place lists (`core.tables`)."""

from django.utils.translation import gettext_lazy as _

from scpvn.core.tables import Column, Table


class EnterpriseTable(Table):
    empty = _("Không có doanh nghiệp nào.")
    css = "table-sm table-hover"
    columns = (
        Column(_("Mã số thuế"), '<span class="font-monospace">{{ row.tax_code }}</span>'),
        Column(
            _("Tên doanh nghiệp"),
            "<a href=\"{% url 'registry:enterprise_detail' row.pk %}\">{{ row.name }}</a>",
        ),
        Column(_("Địa bàn"), "{% firstof row.unit.name row.district.short_name %}"),
        Column(_("VSIC"), "{{ row.vsic_code }}"),
        Column(_("Quy mô"), "{{ row.get_size_display }}"),
        Column(_("KCN/CCN"), '{{ row.industrial_zone|default:"" }}'),
        Column(_("Phân phối"), "{{ row.get_distribution_display }}"),
    )


class PlaceTable(Table):
    empty = _("Chưa có cơ sở nào.")
    columns = (
        Column(_("Tên"), "{{ row.name }}"),
        Column(_("Loại"), "{{ row.get_kind_display }}"),
        Column(_("Hạng"), '{{ row.get_market_class_display|default:"" }}'),
        Column(_("Địa bàn"), "{% firstof row.unit.name row.district.short_name %}"),
        Column(
            _("Đơn vị vận hành"),
            "{% if row.operator %}<a href=\"{% url 'registry:enterprise_detail' row.operator_id %}\">"
            "{{ row.operator.name }}</a>{% endif %}",
        ),
    )
