"""The columns of the response list (`core.tables`)."""

from django.utils.translation import gettext_lazy as _

from scpvn.core.tables import Column, Table


class ResponseTable(Table):
    empty = _("Chưa có phiếu nào.")
    columns = (
        Column(
            _("Ngày"),
            "<a href=\"{% url 'assessments:response_detail' row.pk %}\">"
            '{{ row.date|date:"SHORT_DATE_FORMAT" }}</a>',
        ),
        Column(_("Phiếu"), "{{ row.questionnaire.code }}"),
        Column(_("Đối tượng"), "{{ row.subject }}"),
        Column(_("Quận, huyện"), "{{ row.district.short_name }}"),
    )
