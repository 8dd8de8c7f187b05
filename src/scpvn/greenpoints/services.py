"""Green business point rules: scoring against the field's checklist, certification with
a validity period, renewal, and what counts as certified on a given day."""

import calendar
import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils.translation import gettext as _

from scpvn.core import clock
from scpvn.geo.models import Unit
from scpvn.geo.placing import place_record
from scpvn.greenpoints.errors import GreenPointsErrorCode
from scpvn.greenpoints.models import Assessment, Certificate, GreenField, GreenPoint
from scpvn.orgs.scopes import check_owned
from scpvn.progress.services import record_module_activity
from scpvn.registry.models import Enterprise
from scpvn.registry.services import enterprises_visible_to

RENEWAL_WINDOW_DAYS = 90


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def owning_agency_id(point: GreenPoint) -> int | None:
    """The agency that assesses and certifies a point: the lead of the task whose deliverable
    it counts toward (None for a point counted nowhere, which any officer may handle)."""
    return point.deliverable.task.lead_id if point.deliverable_id else None


def apply_green_point(
    user,
    *,
    enterprise: Enterprise,
    field: GreenField,
    name: str,
    address: str,
    district,
    description: str,
    unit: Unit | None = None,
    evidence: UploadedFile | None,
    deliverable=None,
) -> GreenPoint:
    """An enterprise applies with evidence; only for an enterprise the user acts for."""
    if not enterprises_visible_to(user).filter(pk=enterprise.pk).exists():
        raise ValidationError(_("Bạn không được đăng ký thay cho doanh nghiệp này."))
    if not evidence:
        raise ValidationError(_("Hãy đính kèm hồ sơ minh chứng."))
    if GreenPoint.objects.filter(enterprise=enterprise, field=field, name=name).exists():
        raise ValidationError(_("Điểm kinh doanh này đã được đăng ký trong lĩnh vực này."))
    point = GreenPoint(
        enterprise=enterprise,
        field=field,
        name=name,
        address=address,
        district=district,
        description=description,
        evidence=evidence,
        deliverable=deliverable,
        unit=unit,
    )
    place_record(point, clock.today())
    point.save()
    return point


@transaction.atomic
def assess(
    user, point: GreenPoint, *, date: dt.date, scores: dict[int, int], note: str = ""
) -> Assessment:
    """The officer scores every criterion of the point's field, each within its maximum;
    the point passes when the total reaches the field's pass mark."""
    check_owned(user, point, GreenPointsErrorCode.CHANGE_DENIED)
    criteria = {c.pk: c for c in point.field.criteria.all()}
    if not criteria:
        raise ValidationError(_("Lĩnh vực chưa có bộ tiêu chí."))
    missing = [c.text for pk, c in criteria.items() if pk not in scores]
    if missing:
        raise ValidationError(_("Chưa chấm tiêu chí: %(list)s") % {"list": "; ".join(missing)})
    unknown = set(scores) - set(criteria)
    if unknown:
        raise ValidationError(_("Tiêu chí không thuộc lĩnh vực này."))
    for pk, score in scores.items():
        if not 0 <= score <= criteria[pk].max_score:
            raise ValidationError(
                _("Điểm của “%(c)s” phải từ 0 đến %(m)s.")
                % {"c": criteria[pk].text, "m": criteria[pk].max_score}
            )
    total = sum(scores.values())
    passed = total >= point.field.pass_score
    assessment = Assessment.objects.create(
        point=point,
        date=date,
        assessor=user,
        scores={str(pk): s for pk, s in scores.items()},
        total=total,
        passed=passed,
        note=note,
    )
    if point.status != GreenPoint.Status.CERTIFIED:
        point.status = GreenPoint.Status.ASSESSED if passed else GreenPoint.Status.REJECTED
        point.save(update_fields=["status"])
    return assessment


@transaction.atomic
def certify(user, point: GreenPoint, *, on: dt.date) -> Certificate:
    """Certify on the latest passing assessment not used yet. A point already holding a
    certificate is renewed instead: allowed from RENEWAL_WINDOW_DAYS before expiry, or any
    time after it expired, and always on a new assessment made after the last certificate."""
    check_owned(user, point, GreenPointsErrorCode.CHANGE_DENIED)
    point = GreenPoint.objects.select_for_update().get(pk=point.pk)
    previous = point.certificates.order_by("-issued", "-pk").first()
    assessment = (
        point.assessments.filter(passed=True, certificate__isnull=True, date__lte=on)
        .order_by("-date", "-pk")
        .first()
    )
    if previous is not None:
        if on < previous.valid_until - dt.timedelta(days=RENEWAL_WINDOW_DAYS):
            raise ValidationError(
                _("Chứng nhận %(n)s còn hiệu lực đến %(d)s; chỉ gia hạn trong %(w)s ngày cuối.")
                % {
                    "n": previous.number,
                    "d": f"{previous.valid_until:%d/%m/%Y}",
                    "w": RENEWAL_WINDOW_DAYS,
                }
            )
        if assessment is not None and assessment.date < previous.issued:
            assessment = None
    if assessment is None:
        raise ValidationError(
            _("Cần một lần đánh giá đạt (sau chứng nhận trước) để cấp chứng nhận.")
        )
    issued = (
        on
        if previous is None or on > previous.valid_until
        else previous.valid_until + dt.timedelta(days=1)
    )
    certificate = Certificate.objects.create(
        point=point,
        assessment=assessment,
        number=f"DKDX-{on:%Y}-{point.pk:04d}-{point.certificates.count() + 1}",
        issued=issued,
        valid_until=add_months(issued, point.field.validity_months) - dt.timedelta(days=1),
        renews=previous,
    )
    point.status = GreenPoint.Status.CERTIFIED
    point.save(update_fields=["status"])
    if point.deliverable_id:
        first = point.certificates.order_by("issued").first()
        record_module_activity(
            source=point,
            deliverable=point.deliverable,
            quantity=1,
            date=first.issued,
            agency=point.deliverable.task.lead,
            district=point.district,
            title=_("Điểm kinh doanh xanh %(name)s") % {"name": point.name},
        )
    return certificate


def certified_points(on: dt.date) -> QuerySet[GreenPoint]:
    """Points holding a certificate valid on `on`: an expired one no longer shows publicly.
    Each point's certificates valid on `on` come in one more query, newest first, as
    `valid_certificates` (the public pages show the newest; one query per point would make
    the portal's cost grow with the number of certified points)."""
    valid = Certificate.objects.filter(issued__lte=on, valid_until__gte=on)
    return (
        GreenPoint.objects.filter(Exists(valid.filter(point=OuterRef("pk"))))
        .select_related("field", "district", "enterprise")
        .prefetch_related(
            Prefetch(
                "certificates", queryset=valid.order_by("-issued"), to_attr="valid_certificates"
            )
        )
        .order_by("district__name", "name")
    )
