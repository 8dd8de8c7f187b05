"""The columns of the response list (`core.tables`)."""

from django.utils.translation import gettext_lazy as _

from scpvn.core.tables import Column, Table


class ResponseTable(Table):
    empty = _("Chưa có phiếu nào.")
    libraries = ("areas",)
    columns = (
        Column(
            _("Ngày"),
            "<a href=\"{% url 'assessments:response_detail' row.pk %}\">"
            '{{ row.date|date:"SHORT_DATE_FORMAT" }}</a>',
        ),
        Column(_("Phiếu"), "{{ row.questionnaire.code }}"),
        Column(_("Đối tượng"), "{{ row.subject }}"),
        Column(_("Địa bàn"), '{{ row|area:"short" }}'),
    )


class VisitTable(Table):
    empty = _("Chưa có lượt kiểm tra nào gửi về.")
    libraries = ("areas",)
    columns = (
        Column(
            _("Ngày"),
            "<a href=\"{% url 'assessments:visit_detail' row.pk %}\">"
            '{{ row.response.date|date:"SHORT_DATE_FORMAT" }}</a>',
        ),
        Column(_("Biểu mẫu"), "{{ row.form.form_id }}"),
        Column(
            _("Nơi kiểm tra"),
            "{{ row.response.subject }}{% if row.new_place %} "
            '<span class="badge text-bg-info">{% translate "cơ sở mới" %}</span>{% endif %}',
        ),
        Column(
            _("Xã, phường"),
            '{{ row.response|area:"short"|default:"—" }}',
        ),
        Column(_("Cán bộ"), "{% firstof row.submitted_by.get_full_name '—' %}"),
        Column(
            _("Vị trí GPS"),
            "{% if row.gps_check == 'far' %}"
            '<span class="badge text-bg-warning">{{ row.get_gps_check_display }}</span>'
            "{% else %}{{ row.get_gps_check_display }}{% endif %}"
            "{% if row.distance_m is not None %} ({{ row.distance_m|floatformat:0 }} m){% endif %}",
        ),
        Column(_("Trạng thái"), "{{ row.get_status_display }}"),
    )
