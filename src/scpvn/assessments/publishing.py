"""Publishing an XLSForm: the one path for the page, the API and `scpvn forms publish`.

Each published version becomes a `Questionnaire` (code = the form's `form_id`) with its
questions, so answers arriving from ODK Collect are read by the same engine and indicators as
those typed on a page. A version that has answers is frozen; a new version becomes the one
new visits use, while answers already given keep the questions they were given to.
"""

import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from scpvn.assessments.errors import AssessmentErrorCode
from scpvn.assessments.models import PublishedForm, Question, Questionnaire
from scpvn.assessments.scopes import PUBLISH_ROLES
from scpvn.assessments.xlsform import CompiledForm, Problem, XLSFormInvalid, compile_xlsform
from scpvn.core.files import validate_upload
from scpvn.orgs.access import is_city_wide
from scpvn.orgs.policy import check, check_role, restrict
from scpvn.registry.models import Place


def forms_visible_to(user) -> QuerySet[PublishedForm]:
    return restrict(PublishedForm.objects.select_related("questionnaire"), user)


def current_forms(user) -> QuerySet[PublishedForm]:
    """The version new visits use, of each open form the user reaches."""
    return forms_visible_to(user).filter(closed_at__isnull=True, questionnaire__is_active=True)


def _check_engine_fit(compiled: CompiledForm) -> list[Problem]:
    kinds = set(Place.Kind.values)
    wrong = [k for k in compiled.place_kinds if k not in kinds]
    if wrong:
        return [
            Problem(
                "settings",
                2,
                "place_kinds",
                _("loại cơ sở không có: %(kinds)s (chỉ nhận %(known)s)")
                % {"kinds": ", ".join(wrong), "known": ", ".join(sorted(kinds))},
            )
        ]
    return []


_ROW = ("code", "text", "type", "choices", "unit", "required")


def _compiled_rows(compiled: CompiledForm) -> list[tuple]:
    return [(f.code, f.text, str(f.type), f.choices, f.unit, f.required) for f in compiled.fields]


def _question_rows(questionnaire: Questionnaire) -> list[tuple]:
    if questionnaire.pk is None:
        return []
    return list(questionnaire.questions.order_by("order").values_list(*_ROW))


def _shipped_questionnaire(compiled: CompiledForm) -> Questionnaire | None:
    """The questionnaire a shipped workbook (`assessments/data/*.xlsx`) was loaded into, when
    the form published is that very workbook: same code, version and questions, not yet on
    devices, and the newest version of its code. Publishing it puts it on devices without a
    second version, so visits sent from ODK Collect join the answers typed on a page."""
    if not compiled.version.isdigit():
        return None
    version = int(compiled.version)
    questionnaire = Questionnaire.objects.filter(
        code=compiled.form_id, version=version, subject=compiled.subject, xform__isnull=True
    ).first()
    if questionnaire is None or _question_rows(questionnaire) != _compiled_rows(compiled):
        return None
    newer = Questionnaire.objects.filter(code=compiled.form_id, version__gt=version)
    return None if newer.exists() else questionnaire


@transaction.atomic
def publish_form(user, upload: File) -> PublishedForm:
    """Check, compile and publish an XLSForm; raises XLSFormInvalid (every problem with its
    sheet, row and column) or a refusal, storing nothing then.

    Publishing the same (form_id, version) again replaces it while nobody has answered it
    (a fix before the visits start); once answered, it is frozen and needs a new version.
    """
    check_role(
        user,
        PUBLISH_ROLES,
        _("Chỉ cán bộ sở, ngành hoặc quản trị thành phố được ban hành biểu mẫu."),
        AssessmentErrorCode.FORM_PUBLISH_DENIED,
    )
    validate_upload(upload, {"xlsx"})
    upload.seek(0)
    content = upload.read()
    compiled = compile_xlsform(content)
    problems = _check_engine_fit(compiled)
    if problems:
        raise XLSFormInvalid(problems)

    earlier = PublishedForm.objects.filter(form_id=compiled.form_id).order_by("-published_at")
    owner = earlier.values_list("agency_id", flat=True).first()
    if earlier.exists() and not is_city_wide(user) and owner != user.agency_id:
        raise ValidationError(
            _("Biểu mẫu %(form)s do cơ quan khác ban hành.") % {"form": compiled.form_id},
            code=AssessmentErrorCode.FORM_OWNED_ELSEWHERE,
        )
    same = earlier.filter(version=compiled.version).select_related("questionnaire").first()
    if same is not None:
        check(user, "view", same)
        if same.questionnaire.responses.exists():
            raise ValidationError(
                _(
                    "Phiên bản %(version)s của %(form)s đã có câu trả lời nên không sửa được; "
                    "hãy tăng version trong sheet settings."
                )
                % {"version": compiled.version, "form": compiled.form_id},
                code=AssessmentErrorCode.FORM_VERSION_FROZEN,
            )
        questionnaire = same.questionnaire
        form = same
    else:
        questionnaire = _shipped_questionnaire(compiled)
        if questionnaire is None:
            latest = Questionnaire.objects.filter(code=compiled.form_id).aggregate(v=Max("version"))
            questionnaire = Questionnaire(code=compiled.form_id, version=(latest["v"] or 0) + 1)
        form = PublishedForm(form_id=compiled.form_id, version=compiled.version)
    questionnaire.title = compiled.title
    questionnaire.description = compiled.description
    questionnaire.subject = compiled.subject
    questionnaire.place_kinds = compiled.place_kinds
    questionnaire.indicators = compiled.indicators
    questionnaire.is_active = True
    questionnaire.save()
    if _question_rows(questionnaire) != _compiled_rows(compiled):
        questionnaire.questions.all().delete()
        Question.objects.bulk_create(
            Question(questionnaire=questionnaire, order=order, **dict(zip(_ROW, row, strict=True)))
            for order, row in enumerate(_compiled_rows(compiled))
        )
    # New visits use this version; answers given to the others keep their questions.
    Questionnaire.objects.filter(code=compiled.form_id).exclude(pk=questionnaire.pk).update(
        is_active=False
    )
    form.questionnaire = questionnaire
    form.title = compiled.title
    form.xml = compiled.xml
    form.md5 = hashlib.md5(compiled.xml.encode(), usedforsecurity=False).hexdigest()
    form.mapping = compiled.mapping()
    form.agency_id = user.agency_id if form.agency_id is None else form.agency_id
    form.published_by = user
    form.closed_at = None
    form.source.save(
        f"{compiled.form_id}-{compiled.version}.xlsx", ContentFile(content), save=False
    )
    form.save()
    return form


def close_form(user, form: PublishedForm) -> PublishedForm:
    """Stop a version receiving submissions (ODK Collect no longer lists it)."""
    check_role(user, PUBLISH_ROLES, "", AssessmentErrorCode.FORM_PUBLISH_DENIED)
    check(user, "view", form, code=AssessmentErrorCode.FORM_PUBLISH_DENIED)
    form.closed_at = timezone.now()
    form.save(update_fields=["closed_at"])
    return form
