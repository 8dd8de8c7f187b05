"""The workspace section the assessments app contributes: surveys waiting for an answer."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from scpvn.assessments.services import open_assignments
from scpvn.core.workspace import WorkspaceRow


def open_survey_rows(user) -> list[WorkspaceRow]:
    rows = []
    for a in open_assignments(user).select_related("questionnaire", "enterprise", "place"):
        url = reverse(
            "assessments:answer", args=[a.questionnaire_id, a.questionnaire.subject, a.subject.pk]
        )
        due = _("hạn %(date)s") % {"date": date_format(a.due, "SHORT_DATE_FORMAT")} if a.due else ""
        rows.append(WorkspaceRow(f"{a.questionnaire.title} — {a.subject}", url, due))
    return rows
