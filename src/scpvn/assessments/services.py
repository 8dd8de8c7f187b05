"""Survey and inspection rules: loading the shipped questionnaires (XLSForms), who may see and
answer what, and recording a response with typed answers (one path for the page, the API
and the demo)."""

import datetime as dt
import functools
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.apps import apps as global_apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.dispatch import Signal
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from scpvn.assessments.errors import AssessmentErrorCode
from scpvn.assessments.models import (
    Answer,
    Assignment,
    Question,
    Questionnaire,
    RepeatPhoto,
    Response,
    Submission,
)
from scpvn.assessments.scopes import ANSWER, OFFICER_ROLES, REVIEW
from scpvn.assessments.xlsform import CompiledForm, XLSFormInvalid, compile_xlsform
from scpvn.core import clock, review
from scpvn.core.memo import memo
from scpvn.geo.placing import unit_on
from scpvn.orgs.policy import allows, check, check_role, restrict
from scpvn.plans.models import Deliverable, Task
from scpvn.progress.scopes import RECORD, acting_agency
from scpvn.progress.services import record_module_activity
from scpvn.registry.models import Enterprise, Place

DATA_DIR = Path(__file__).resolve().parent / "data"

# Sent (sender=Response, response=…) once a response and its answers are stored, inside the
# same transaction: the apps that run a survey on an assignment (surveys) count it without
# the engine knowing them, and a failure there undoes the response.
response_submitted = Signal()


# ---- shipped questionnaires ---------------------------------------------------------------


@functools.lru_cache(maxsize=32)
def _compiled(path: Path, stamp: int) -> CompiledForm:
    return compile_xlsform(path.read_bytes())


def read_shipped_form(path: Path) -> CompiledForm:
    """One shipped questionnaire, compiled; raises ValueError naming the file and, for each
    problem, its sheet, row and column. Its `version` (settings) is the questionnaire's
    version, so it must be a whole number."""
    try:
        compiled = _compiled(path, path.stat().st_mtime_ns)
    except XLSFormInvalid as exc:
        raise ValueError("\n".join(f"{path.name}: {p}" for p in exc.problems)) from exc
    if not compiled.version.isdigit() or int(compiled.version) < 1:
        raise ValueError(
            f"{path.name}: settings, version: phiếu gửi kèm phải có version là số nguyên dương"
        )
    return compiled


def shipped_forms(directory: Path = DATA_DIR) -> dict[str, CompiledForm]:
    """The shipped questionnaires by code (a plan file's indicators name them).

    They are XLSForms (cleaner production, market packaging, supermarket bags, clean
    technology, agri-food chains, plastic packaging producers, the competitiveness survey):
    `data/*.xlsx`, read through the door a department's upload goes through (checked cell by
    cell, compiled by pyxform: `xlsform.compile_xlsform`). The workbook is the definition, the
    file a department edits and the one loaded. Beside each, `data/*.csv` is its text twin in
    pyxform's own CSV layout, only so that a change reads as a diff in review: written from
    the workbook by `scpvn forms twins`, never read by the loader, and a test fails when a twin
    is not its workbook's (or does not compile to the same XForm)."""
    forms: dict[str, CompiledForm] = {}
    for path in sorted(directory.glob("*.xlsx")):
        compiled = read_shipped_form(path)
        if compiled.form_id in forms:
            raise ValueError(f"{path.name}: mã {compiled.form_id} trùng với một tệp khác")
        forms[compiled.form_id] = compiled
    return forms


@transaction.atomic
def load_questionnaires(apps=global_apps, directory: Path = DATA_DIR) -> int:
    """Create or update every shipped questionnaire of `directory`; returns how many.

    A version that already has responses is frozen: changing its questions needs a new
    version in the workbook, so the answers keep the questions they were given to.
    """
    questionnaire_model = apps.get_model("assessments", "Questionnaire")
    question_model = apps.get_model("assessments", "Question")
    forms = shipped_forms(directory)
    for compiled in forms.values():
        questionnaire, _ = questionnaire_model.objects.update_or_create(
            code=compiled.form_id,
            version=int(compiled.version),
            defaults={
                "title": compiled.title,
                "description": compiled.description,
                "subject": compiled.subject,
                "place_kinds": compiled.place_kinds,
                "indicators": compiled.indicators,
            },
        )
        wanted = {
            field.code: {
                "order": order,
                "text": field.text,
                "type": field.type,
                "choices": field.choices,
                "unit": field.unit,
                "required": field.required,
            }
            for order, field in enumerate(compiled.fields)
        }
        current = {q.code: q for q in question_model.objects.filter(questionnaire=questionnaire)}
        changed = set(current) != set(wanted) or any(
            getattr(current[code], key) != value
            for code, fields in wanted.items()
            if code in current
            for key, value in fields.items()
        )
        if not changed:
            continue
        if questionnaire.responses.exists():
            raise ValueError(
                f"{compiled.form_id} v{compiled.version} đã có phiếu trả lời; "
                "hãy tăng version (sheet settings) thay vì sửa câu hỏi"
            )
        question_model.objects.filter(questionnaire=questionnaire).exclude(code__in=wanted).delete()
        for code, fields in wanted.items():
            question_model.objects.update_or_create(
                questionnaire=questionnaire, code=code, defaults=fields
            )
        questionnaire_model.objects.filter(code=compiled.form_id).exclude(
            pk=questionnaire.pk
        ).update(is_active=False)
    return len(forms)


# ---- scopes (rules in assessments/scopes.py) ---------------------------------------------


def responses_visible_to(user) -> QuerySet[Response]:
    """Enterprise users see their own enterprises' (and places') responses, district officers
    their district's, other staff all."""
    return restrict(Response.objects.all(), user)


def assignments_visible_to(user) -> QuerySet[Assignment]:
    return restrict(Assignment.objects.all(), user)


# Reasons an assignment needs no answer although none was given, each a condition on
# Assignment registered by the app that owns the reason (a survey's sampled enterprise that
# declined): this engine does not know the apps built on it.
_closed_conditions: list[Q] = []


def register_closed_assignments(condition: Q) -> None:
    """Assignments matching `condition` leave the lists of what is still to answer."""
    _closed_conditions.append(condition)


def open_assignments(user) -> QuerySet[Assignment]:
    """Assignments in the user's scope whose subject has not yet answered that questionnaire
    (any version) and that no registered reason closed."""
    answered = Response.objects.filter(questionnaire__code=OuterRef("questionnaire__code"))
    still_open = assignments_visible_to(user).exclude(
        Q(enterprise__isnull=False, place__isnull=True)
        & Exists(answered.filter(enterprise=OuterRef("enterprise")))
        | Q(place__isnull=False) & Exists(answered.filter(place=OuterRef("place")))
    )
    for condition in _closed_conditions:
        still_open = still_open.exclude(condition)
    return still_open


def can_answer(user, subject: Enterprise | Place, assignment: Assignment | None = None) -> bool:
    """Officers answer for subjects in their scope; an enterprise answers for itself and the
    places it operates. Reviewers only read. An assignment an agency runs is answered only
    by that agency's officers (and the subject)."""
    return allows(user, ANSWER, subject) and (
        assignment is None or allows(user, ANSWER, assignment)
    )


@transaction.atomic
def assign(
    user,
    questionnaire: Questionnaire,
    *,
    enterprises: QuerySet[Enterprise] | None = None,
    places: QuerySet[Place] | None = None,
    due: dt.date | None = None,
    deliverable: Deliverable | None = None,
) -> int:
    """Ask a set of enterprises or places to answer; returns how many were newly asked
    (already-assigned ones keep their due date). Only officers assign, and only to the
    subjects they reach: others in the sets are left out. A `deliverable` (task 10's
    inspections) makes each visit count toward it; it is also given to the set's earlier
    assignments that named none, and must be of a task the officer records for."""
    check_role(
        user,
        OFFICER_ROLES,
        _("Chỉ cán bộ được giao phiếu."),
        AssessmentErrorCode.ASSIGN_DENIED,
    )
    if deliverable is not None:
        check(
            user,
            RECORD,
            deliverable.task,
            _("Đơn vị của bạn không thực hiện nhiệm vụ của sản phẩm %(code)s.")
            % {"code": deliverable.display_code},
            AssessmentErrorCode.DELIVERABLE_OUT_OF_SCOPE,
        )
    if enterprises is not None:
        enterprises = restrict(enterprises, user)
    if places is not None:
        places = restrict(places, user)
    if questionnaire.subject == Questionnaire.Subject.ENTERPRISE:
        rows = [
            Assignment(questionnaire=questionnaire, enterprise=e, due=due, deliverable=deliverable)
            for e in (enterprises or [])
        ]
    else:
        rows = [
            Assignment(questionnaire=questionnaire, place=p, due=due, deliverable=deliverable)
            for p in (places or [])
        ]
    before = questionnaire.assignments.count()
    Assignment.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    if deliverable is not None:
        subjects = Q(enterprise__in=enterprises) if enterprises is not None else Q()
        if places is not None:
            subjects |= Q(place__in=places)
        questionnaire.assignments.filter(subjects, deliverable=None).update(deliverable=deliverable)
    return questionnaire.assignments.count() - before


# ---- answering -----------------------------------------------------------------------------


class ResponseInvalid(ValidationError):
    """Every problem of a response at once, by question code."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(
            {
                field: ValidationError(message, code=AssessmentErrorCode.INVALID_ANSWERS)
                for field, message in errors.items()
            }
        )
        self.errors = errors


def _coerce(question: Question, raw: Any) -> dict[str, Any]:
    """The Answer fields for one raw value (from a form or JSON); raises ValueError."""
    kind = question.type
    choice_values = {c["value"] for c in question.choices}
    if kind == Question.Type.NUMBER:
        try:
            number = Decimal(str(raw).replace(",", "."))
        except InvalidOperation as exc:
            raise ValueError("phải là một số") from exc
        if not number.is_finite() or number < 0:
            raise ValueError("phải là số không âm")
        return {"number": number}
    if kind == Question.Type.YES_NO:
        if isinstance(raw, bool):
            return {"boolean": raw}
        text = str(raw).strip().lower()
        if text in {"true", "1", "yes", "co", "có"}:
            return {"boolean": True}
        if text in {"false", "0", "no", "khong", "không"}:
            return {"boolean": False}
        raise ValueError("phải là Có hoặc Không")
    if kind == Question.Type.SINGLE:
        if str(raw) not in choice_values:
            raise ValueError(f"phải là một trong: {', '.join(sorted(choice_values))}")
        return {"text": str(raw)}
    if kind == Question.Type.MULTIPLE:
        values = [str(v) for v in (raw if isinstance(raw, list | tuple) else [raw])]
        unknown = set(values) - choice_values
        if unknown:
            raise ValueError(f"lựa chọn không hợp lệ: {', '.join(sorted(unknown))}")
        return {"choices": values}
    if kind == Question.Type.DATE:
        if isinstance(raw, dt.date):
            return {"date": raw}
        try:
            return {"date": dt.date.fromisoformat(str(raw))}
        except ValueError as exc:
            raise ValueError("ngày phải có dạng YYYY-MM-DD") from exc
    if kind == Question.Type.PHOTO:
        return {"photo": _image(raw)}
    return {"text": str(raw)}


def _image(raw: Any) -> UploadedFile:
    """An uploaded photo, whether it answers a question or a repeat instance's question."""
    if not isinstance(raw, UploadedFile):
        raise ValueError("phải là tệp ảnh tải lên")
    if not (raw.content_type or "").startswith("image/"):
        raise ValueError("tệp phải là ảnh (JPEG, PNG…)")
    return raw


@dataclass(frozen=True)
class RepeatPhotoUpload:
    """A photo of one repeat instance: the repeat's question code, the instance's 1-based
    position, and where it sits in the form's instance (`/data/stalls[2]/photo`)."""

    code: str
    position: int
    path: str
    upload: UploadedFile


def _empty(raw: Any) -> bool:
    return raw is None or raw == "" or raw == [] or raw == ()


def countable_deliverables(user) -> QuerySet[Deliverable]:
    """The deliverables an officer may name on an assignment: those of the tasks their
    agency records work for (rule in progress/scopes.py)."""
    tasks = restrict(Task.objects.all(), user, RECORD)
    return (
        Deliverable.objects.filter(task__in=tasks)
        .select_related("task")
        .order_by("task__plan", "task__number", "order")
    )


def _subject_required(questionnaire: Questionnaire) -> ValidationError:
    if questionnaire.subject == Questionnaire.Subject.PLACE:
        field, message = (
            "place",
            _(
                "Phiếu kiểm tra %(code)s cần nơi được kiểm tra (chợ, siêu thị, trung tâm thương "
                "mại); chưa có nơi kiểm tra nên phiếu không được ghi."
            ),
        )
    else:
        field, message = (
            "enterprise",
            _("Phiếu %(code)s cần doanh nghiệp được khảo sát; phiếu không được ghi."),
        )
    return ValidationError(
        {
            field: ValidationError(
                message % {"code": questionnaire.code}, code=AssessmentErrorCode.PLACE_REQUIRED
            )
        }
    )


def assignment_of(questionnaire: Questionnaire, subject: Enterprise | Place) -> Assignment | None:
    """The subject's assignment of this questionnaire (any version of its code)."""
    field = "place" if isinstance(subject, Place) else "enterprise"
    return (
        Assignment.objects.filter(questionnaire__code=questionnaire.code, **{field: subject})
        .order_by("-questionnaire__version", "pk")
        .first()
    )


def _count_visit(
    user, response: Response, assignment: Assignment | None, description: str = ""
) -> None:
    """An officer's response to an assignment that names a deliverable is a visit done for
    it: recorded as the module record of that deliverable, once per response (a hand-entered
    activity for the same visit must then name it, `progress.services.check_module_record`).
    An enterprise answering for itself is no inspection and counts nothing."""
    if assignment is None or assignment.deliverable_id is None:
        return
    deliverable = Deliverable.objects.select_related("task__lead").get(pk=assignment.deliverable_id)
    if not allows(user, RECORD, deliverable.task):
        return
    record_module_activity(
        source=response,
        deliverable=deliverable,
        quantity=1,
        date=response.date,
        agency=acting_agency(user) or deliverable.task.lead,
        district=response.district,
        unit=response.unit,
        title=_("Kiểm tra %(code)s tại %(subject)s")
        % {"code": response.questionnaire.code, "subject": response.subject},
        description=description,
    )


def _assignment_fits(
    assignment: Assignment, questionnaire: Questionnaire, subject: Enterprise | Place
) -> bool:
    """The assignment is of this questionnaire's code and this subject (its enterprise, or
    its place when it names no enterprise), compared by ids: no row read for it."""
    if isinstance(subject, Place):
        same_subject = assignment.enterprise_id is None and assignment.place_id == subject.pk
    else:
        same_subject = assignment.enterprise_id == subject.pk
    return same_subject and (
        assignment.questionnaire_id == questionnaire.pk
        or assignment.questionnaire.code == questionnaire.code
    )


# The questions of the questionnaires answered in this process (see `questions_of`).
_answered_questions = memo()


def questions_of(questionnaire: Questionnaire) -> list[Question]:
    """The questions in the form's order (not the model's ordering, which joins the
    questionnaire again). Once a questionnaire has answers its questions never change:
    publishing refuses new questions for an answered version, answers protect their
    questions, and the admin only shows them. So after this process stored an answer to
    it, they are remembered (`store_response`): a visit received over OpenRosa does not
    read them again."""
    questions = _answered_questions.get(questionnaire.pk)
    if questions is None:
        questions = list(questionnaire.questions.order_by("order", "pk"))
    return questions


@dataclass(frozen=True)
class CheckedResponse:
    """A response `check_response` found valid, ready for `store_response` to write."""

    questionnaire: Questionnaire
    subject: Enterprise | Place
    assignment: Assignment | None
    date: dt.date
    user: Any
    questions: list[Question]
    fields: dict[Question, dict[str, Any]]
    repeat_photos: tuple[RepeatPhotoUpload, ...]


def check_response(
    *,
    questionnaire: Questionnaire,
    subject: Enterprise | Place | None,
    date: dt.date,
    values: dict[str, Any],
    user,
    assignment: Assignment | None = None,
    repeat_photos: list[RepeatPhotoUpload] = (),
) -> CheckedResponse:
    """Check every value against its question (type, choices, required), the subject and
    the assignment against the user's scope; raises ResponseInvalid listing every problem,
    or Denied. Reads only: a caller storing more with the response (an OpenRosa receipt)
    checks first and then writes everything in one transaction, with no savepoint.

    The response joins the subject's assignment of the questionnaire when there is one
    (whether or not the caller names it), so the assignment's own rule (the agency running
    a survey) cannot be bypassed by leaving it out."""
    if subject is None:
        raise _subject_required(questionnaire)
    assignment = assignment or assignment_of(questionnaire, subject)
    # The scopes are decided on the subject and assignment as the caller holds them
    # (`as_read`), the attributes the response is placed by below.
    check(
        user,
        ANSWER,
        subject,
        _("Bạn không được trả lời phiếu cho đối tượng này."),
        AssessmentErrorCode.SUBJECT_OUT_OF_SCOPE,
        as_read=True,
    )
    if assignment is not None:
        check(
            user,
            ANSWER,
            assignment,
            _("Phiếu này do cơ quan khác thực hiện: chỉ cán bộ của cơ quan đó nhập câu trả lời."),
            AssessmentErrorCode.ASSIGNMENT_OUT_OF_SCOPE,
            as_read=True,
        )
    is_place = isinstance(subject, Place)
    errors: dict[str, str] = {}
    if is_place != (questionnaire.subject == Questionnaire.Subject.PLACE):
        errors["subject"] = "đối tượng không đúng loại của phiếu"
    elif is_place and questionnaire.place_kinds and subject.kind not in questionnaire.place_kinds:
        errors["subject"] = "phiếu này không áp dụng cho loại cơ sở này"
    if assignment is not None and not _assignment_fits(assignment, questionnaire, subject):
        errors["assignment"] = "phân công không thuộc phiếu và đối tượng này"
    if date > clock.today():
        errors["date"] = "ngày khảo sát không được ở tương lai"
    questions = questions_of(questionnaire)
    unknown = set(values) - {q.code for q in questions}
    for code in sorted(unknown):
        errors[code] = "không có câu hỏi này trong phiếu"
    fields: dict[Question, dict[str, Any]] = {}
    for question in questions:
        raw = values.get(question.code)
        if _empty(raw):
            if question.required:
                errors[question.code] = "bắt buộc trả lời"
            continue
        try:
            fields[question] = _coerce(question, raw)
        except ValueError as exc:
            errors[question.code] = str(exc)
    by_code = {q.code: q for q in fields}
    for photo in repeat_photos:
        if photo.code not in by_code:
            errors.setdefault(photo.path, "ảnh thuộc một nhóm lặp không có câu trả lời")
            continue
        try:
            _image(photo.upload)
        except ValueError as exc:
            errors[photo.path] = str(exc)
    if errors:
        raise ResponseInvalid(errors)
    return CheckedResponse(
        questionnaire, subject, assignment, date, user, questions, fields, tuple(repeat_photos)
    )


# Inside the caller's transaction without a savepoint of its own: everything it could refuse
# was refused by `check_response`, before anything was written, so a failure here undoes the
# whole transaction rather than leaving the caller half a response to carry on with.
@transaction.atomic(savepoint=False)
def store_response(checked: CheckedResponse, *, count: bool = True) -> Response:
    """Store a checked response and its answers together. A visit made under an assignment
    that names a plan deliverable counts toward it, unless `count` is False (a visit received
    over OpenRosa counts when a reviewer accepts it, `accept_visit`). The photos of repeat
    groups are stored beside the answer of their repeat, with the instance they belong to."""
    subject, user, date = checked.subject, checked.user, checked.date
    is_place = isinstance(subject, Place)
    response = Response.objects.create(
        questionnaire=checked.questionnaire,
        assignment=checked.assignment,
        enterprise=None if is_place else subject,
        place=subject if is_place else None,
        district_id=subject.district_id,
        unit=unit_on(subject, date),
        date=date,
        submitted_by=user,
    )
    # One INSERT for the answers and one for their history rows, not two per answer: the
    # receive path's cost (bench/bench_openrosa_receive.py) was mostly these round trips.
    bulk_create_with_history(
        [Answer(response=response, question=q, **values) for q, values in checked.fields.items()],
        Answer,
        default_user=user,
    )
    if checked.repeat_photos:
        answers = {a.question.code: a for a in response.answers.select_related("question")}
        for photo in checked.repeat_photos:
            RepeatPhoto.objects.create(
                answer=answers[photo.code],
                position=photo.position,
                path=photo.path,
                photo=photo.upload,
            )
    if count:
        _count_visit(user, response, checked.assignment)
    response_submitted.send(sender=Response, response=response)
    # Answered once committed, the questionnaire's questions are fixed (`questions_of`).
    transaction.on_commit(
        functools.partial(
            _answered_questions.setdefault, checked.questionnaire.pk, checked.questions
        )
    )
    return response


@transaction.atomic
def submit_response(
    *,
    questionnaire: Questionnaire,
    subject: Enterprise | Place | None,
    date: dt.date,
    values: dict[str, Any],
    user,
    assignment: Assignment | None = None,
    count: bool = True,
    repeat_photos: list[RepeatPhotoUpload] = (),
) -> Response:
    """Check a response (`check_response`: raises ResponseInvalid listing every problem, or
    Denied) and store it with its answers (`store_response`): one path for the page, the API
    and the demo."""
    checked = check_response(
        questionnaire=questionnaire,
        subject=subject,
        date=date,
        values=values,
        user=user,
        assignment=assignment,
        repeat_photos=repeat_photos,
    )
    return store_response(checked, count=count)


# ---- visits received over OpenRosa: evidence a reviewer accepts or returns -----------------


def visits_visible_to(user) -> QuerySet[Submission]:
    """The visits received over OpenRosa a user reads (rule in assessments/scopes.py)."""
    return restrict(Submission.objects.all(), user)


def visits_to_review(user) -> QuerySet[Submission]:
    """The visits a user may accept or return, whatever their state."""
    return restrict(Submission.objects.all(), user, REVIEW)


def _check_reviewer(user, visit: Submission) -> None:
    check(
        user,
        REVIEW,
        visit,
        _(
            "Chỉ lãnh đạo của cơ quan ban hành biểu mẫu hoặc quản trị thành phố được duyệt "
            "lượt kiểm tra này."
        ),
        AssessmentErrorCode.VISIT_REVIEW_DENIED,
    )


@transaction.atomic
def accept_visit(user, visit: Submission, comment: str = "") -> Submission:
    """A reviewer accepts a visit as evidence: from then on it is read by the indicators
    and, made under an assignment naming a deliverable, counts toward it once (the module
    record of its response, whose description names the instance and the reviewer). A
    visit far from its place may be accepted: the flag is for the reviewer to weigh. A
    visit to a place still pending in the registry waits for the place to be confirmed."""
    _check_reviewer(user, visit)
    place = visit.response.place
    if place is not None and place.status == Place.Status.PENDING:
        raise ValidationError(
            _(
                "Cơ sở “%(place)s” chưa được xác nhận trong sổ: hãy xác nhận cơ sở trước khi "
                "chấp nhận lượt kiểm tra."
            )
            % {"place": place.name},
            code=AssessmentErrorCode.VISIT_PLACE_PENDING,
        )
    accepted = review.approve(visit, by=user, comment=comment)
    response = accepted.response
    officer = accepted.submitted_by
    if officer is not None:
        _count_visit(
            officer,
            response,
            response.assignment,
            description=_("Bản gửi OpenRosa %(instance)s, chấp nhận bởi %(reviewer)s ngày %(day)s.")
            % {
                "instance": accepted.instance_id,
                "reviewer": user.get_full_name(),
                "day": clock.today().strftime("%d/%m/%Y"),
            },
        )
    return accepted


@transaction.atomic
def return_visit(user, visit: Submission, comment: str) -> Submission:
    """A reviewer sends a visit back with the reason; it counts nowhere."""
    _check_reviewer(user, visit)
    return review.send_back(visit, by=user, comment=comment)
