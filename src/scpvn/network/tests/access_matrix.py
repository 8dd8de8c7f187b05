import datetime as dt

from django.core.files.base import ContentFile
from django.urls import reverse

from scpvn.core.tests.matrix import ADMIN, IN_WORLD, SIGNED_IN, STAFF, Rule, Write

OFFICERS = ADMIN | {"agency_officer"}
POST_ONLY = "POST only: a state change, its write scope declared in WRITES below"


def _agency():
    from scpvn.orgs.models import Agency

    return Agency.objects.get(code="SCT")


def _district():
    from scpvn.geo.models import District

    return District.objects.get(code="006")


def fair(w):
    from scpvn.fairs.models import FairEvent

    return FairEvent.objects.create(
        name="Hội chợ",
        venue="Cung Văn hóa",
        district=_district(),
        agency=_agency(),
        start_date=dt.date(2020, 9, 1),
        end_date=dt.date(2020, 9, 3),
        capacity=2,
    )


def application(w):
    from scpvn.fairs.models import FairApplication

    return FairApplication.objects.create(event=fair(w), enterprise=w.enterprise, products="Gạo")


def green_point(w):
    from scpvn.greenpoints.models import GreenField, GreenPoint

    field, _ = GreenField.objects.get_or_create(name="Đồ nội thất", defaults={"pass_score": 10})
    return GreenPoint.objects.create(
        enterprise=w.enterprise,
        field=field,
        name=f"Điểm {GreenPoint.objects.count()}",
        address="1 Phố Huế",
        district=_district(),
        evidence=ContentFile(b"x", name="e.pdf"),
    )


def pilot(w):
    from scpvn.outreach.models import PssPilot

    return PssPilot.objects.create(
        name="PSS", host=w.enterprise, started=dt.date(2020, 8, 1), agency=_agency()
    )


def guidance(w):
    from scpvn.outreach.models import GuidanceDocument

    return GuidanceDocument.objects.create(
        title="Hướng dẫn",
        link="https://example.vn/pss",
        published=dt.date(2020, 8, 1),
        agency=_agency(),
    )


def survey(w):
    """A survey on a questionnaire of its own (one per survey round), of one yes/no
    question `c1`."""
    from scpvn.assessments.models import Questionnaire
    from scpvn.surveys.models import Survey

    questionnaire = Questionnaire.objects.create(
        code=f"KS-MATRIX-{Questionnaire.objects.count()}",
        title="Khảo sát",
        subject="enterprise",
    )
    questionnaire.questions.create(code="c1", text="Có ISO 14001?", type="yes_no", required=True)
    return Survey.objects.create(
        title="Khảo sát", year=2020, agency=_agency(), questionnaire=questionnaire
    )


def _sample(s, enterprise):
    """The enterprise in the survey's sample, holding its assignment (as `draw_sample`
    leaves it)."""
    from scpvn.assessments.models import Assignment
    from scpvn.surveys.models import SurveyResponse, SurveySector

    sector = SurveySector.objects.create(survey=s, name="Bán lẻ", vsic_prefixes=["47"])
    assignment = Assignment.objects.create(
        questionnaire=s.questionnaire, enterprise=enterprise, agency=s.agency
    )
    return SurveyResponse.objects.create(
        survey=s, sector=sector, enterprise=enterprise, assignment=assignment
    )


def response(w):
    return _sample(survey(w), w.enterprise)


def report(w):
    from scpvn.surveys.models import SurveyReport

    r = SurveyReport(survey=survey(w), respondents=1)
    r.file.save("r.docx", ContentFile(b"docx"), save=False)
    r.pdf.save("r.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    return r


def event(w):
    from scpvn.outreach.models import Event

    return Event.objects.create(
        kind="training",
        title="Tập huấn",
        date=dt.date(2020, 9, 1),
        venue="Sở Công Thương",
        agency=_agency(),
    )


def material_kwargs(w) -> dict:
    from scpvn.outreach.models import Material

    item = Material.objects.create(
        event=event(w), title="Tài liệu", file=ContentFile(b"%PDF-1.4\n", name="m.pdf")
    )
    return {"kind": "material", "pk": item.pk}


def media(w):
    from scpvn.outreach.models import MediaItem

    return MediaItem.objects.create(
        kind="article",
        title="Bài",
        outlet="Báo Hà Nội mới",
        date=dt.date(2020, 9, 1),
        link="https://example.vn/a",
        agency=_agency(),
    )


def pk(factory):
    return lambda w: {"pk": factory(w).pk}


def chain(w):
    from scpvn.fairs.models import Chain

    return Chain.objects.create(name="Chuỗi 1", agency=_agency())


RULES = {
    "network:index": Rule(get=SIGNED_IN),
    "network:fairs": Rule(get=SIGNED_IN),
    "network:fair-create": Rule(get=OFFICERS),
    "network:fair": Rule(get=SIGNED_IN, kwargs=pk(fair)),
    "network:fair-apply": Rule(get=SIGNED_IN, kwargs=pk(fair)),
    "network:fair-close": Rule(get=OFFICERS, kwargs=pk(fair), skip=POST_ONLY),
    "network:application-action": Rule(get=OFFICERS, kwargs=pk(application), skip=POST_ONLY),
    "network:greenpoints": Rule(get=SIGNED_IN),
    "network:greenpoint-apply": Rule(get=SIGNED_IN),
    "network:greenpoint": Rule(get=IN_WORLD, kwargs=pk(green_point)),
    "network:greenpoint-dossier": Rule(get=IN_WORLD, kwargs=pk(green_point)),
    "network:greenpoint-assess": Rule(get=OFFICERS, kwargs=pk(green_point), skip=POST_ONLY),
    "network:greenpoint-certify": Rule(get=OFFICERS, kwargs=pk(green_point), skip=POST_ONLY),
    "network:pss": Rule(get=STAFF),
    "network:guidance-create": Rule(get=OFFICERS),
    "network:pilot": Rule(get=STAFF, kwargs=pk(pilot)),
    "network:pilot-complete": Rule(get=OFFICERS, kwargs=pk(pilot), skip=POST_ONLY),
    "network:surveys": Rule(get=STAFF),
    "network:survey": Rule(get=STAFF, kwargs=pk(survey)),
    "network:survey-sample": Rule(get=OFFICERS, kwargs=pk(survey), skip=POST_ONLY),
    "network:survey-reports": Rule(get=OFFICERS, kwargs=pk(survey), skip=POST_ONLY),
    "network:response-decline": Rule(get=OFFICERS, kwargs=pk(response), skip=POST_ONLY),
    "network:report-download": Rule(get=STAFF, kwargs=pk(report)),
    "network:report-download-pdf": Rule(get=STAFF, kwargs=pk(report)),
    "network:events": Rule(get=STAFF),
    "network:event-create": Rule(get=OFFICERS),
    "network:event": Rule(get=STAFF, kwargs=pk(event)),
    "network:event-action": Rule(get=OFFICERS, kwargs=pk(event), skip=POST_ONLY),
    "network:event-feedback": Rule(get=SIGNED_IN, kwargs=pk(event)),
    "network:media": Rule(get=STAFF),
    "network:media-create": Rule(get=OFFICERS),
    "network:media-edit": Rule(get=OFFICERS, kwargs=pk(media)),
    "network:file": Rule(get=STAFF, kwargs=material_kwargs),
    "network-chain-list": Rule(get=STAFF),
    "network-chain-detail": Rule(get=STAFF, kwargs=pk(chain)),
    "network-fair-list": Rule(get=SIGNED_IN),
    "network-fair-detail": Rule(get=SIGNED_IN, kwargs=pk(fair)),
    "network-application-list": Rule(get=SIGNED_IN),
    "network-application-detail": Rule(get=IN_WORLD, kwargs=pk(application)),
    "network-application-allocate": Rule(get=OFFICERS, kwargs=pk(application), skip=POST_ONLY),
    "network-greenpoint-list": Rule(get=SIGNED_IN),
    "network-greenpoint-detail": Rule(get=IN_WORLD, kwargs=pk(green_point)),
    "network-guidance-list": Rule(get=STAFF),
    "network-guidance-detail": Rule(get=STAFF, kwargs=pk(guidance)),
    "network-pilot-list": Rule(get=STAFF),
    "network-pilot-detail": Rule(get=STAFF, kwargs=pk(pilot)),
    "network-survey-list": Rule(get=STAFF),
    "network-survey-detail": Rule(get=STAFF, kwargs=pk(survey)),
    "network-response-list": Rule(get=STAFF),
    "network-response-detail": Rule(get=STAFF & IN_WORLD, kwargs=pk(response)),
    "network-event-list": Rule(get=STAFF),
    "network-event-detail": Rule(get=STAFF, kwargs=pk(event)),
    "network-media-list": Rule(get=STAFF),
    "network-media-detail": Rule(get=STAFF, kwargs=pk(media)),
}


def _tnmt():
    from scpvn.orgs.models import Agency

    return Agency.objects.get(code="STNMT")


def _own_and_other(factory):
    """The same record twice: one run by Sở Công Thương (the agency officer's own), one by
    Sở TN&MT (another agency's, which only the city administrator may act on)."""

    def records(w):
        own, other = factory(w), factory(w)
        type(other).objects.filter(pk=other.pk).update(agency=_tnmt())
        other.refresh_from_db()
        return {"own": own, "other": other}

    return records


def _application_records(w):
    from scpvn.fairs.models import FairApplication

    fairs = _own_and_other(fair)(w)
    for event in fairs.values():
        event.status = event.Status.OPEN
        event.save(update_fields=["status"])
        event.booths.create(code="A01")
    return {
        name: FairApplication.objects.create(event=event, enterprise=w.enterprise, products="Gạo")
        for name, event in fairs.items()
    }


def _post(url_name, data):
    from django.urls import reverse

    return lambda w, record: (reverse(url_name, args=[record.pk]), data)


# Write scope of the POST-only actions (pages and API): every role × a record of the agency
# officer's own agency and one of another agency; an allowed role's POST takes effect, any
# other's is refused and writes no row.
BOTH = frozenset({"own", "other"})
WRITE_SCOPE = {"city_admin": BOTH, "agency_officer": frozenset({"own"})}


def _post(url_name, data=None):
    from django.urls import reverse

    return lambda w, record: reverse(url_name, args=[record.pk])


def _field(name, value):
    return lambda record: getattr(record, name) == value


def _sampled_surveys(w):
    from scpvn.surveys.models import SurveySector

    surveys = _own_and_other(survey)(w)
    for s in surveys.values():
        SurveySector.objects.create(survey=s, name="Bán lẻ", vsic_prefixes=["47"], sample_size=1)
    return surveys


def _responses(w):
    """The world's enterprise sampled by a Sở Công Thương survey ("own") and by a Sở TN&MT
    one ("other")."""
    return {name: _sample(s, w.enterprise) for name, s in _own_and_other(survey)(w).items()}


def _answer_page(w, sample):
    questionnaire = sample.survey.questionnaire
    return reverse(
        "assessments:answer", args=[questionnaire.pk, "enterprise", sample.enterprise_id]
    )


def _answered(sample) -> bool:
    return sample.assignment.responses.exists()


# A survey's form is entered by officers of the survey's agency (the city administrator acts
# for all) and answered by the enterprise itself, whoever runs the survey; the district
# officer, who reaches the enterprise, does not enter another agency's survey.
ANSWER_SCOPE = WRITE_SCOPE | {"enterprise_user": BOTH}


def _green_points(passed: bool):
    """A point on a deliverable of a task Sở Công Thương leads ("own") and one on a task
    another agency leads ("other"), in a field with one criterion; `passed`: already
    assessed with a passing score, ready to certify."""

    def records(w):
        from scpvn.greenpoints.models import Assessment, Criterion, GreenField
        from scpvn.orgs.models import Agency
        from scpvn.plans.models import Deliverable

        field, _ = GreenField.objects.get_or_create(name="Bán lẻ xanh", defaults={"pass_score": 5})
        Criterion.objects.get_or_create(field=field, text="Tiết kiệm năng lượng", max_score=10)
        first = w.plan.tasks.order_by("number").first()
        chosen = {}
        for number, (name, code) in enumerate([("own", "SCT"), ("other", "STNMT")], start=901):
            task, _ = w.plan.tasks.get_or_create(
                number=number,
                defaults={
                    "group": first.group,
                    "title": "Điểm kinh doanh xanh",
                    "content": "Chứng nhận điểm kinh doanh xanh",
                    "lead": Agency.objects.get(code=code),
                    "start": first.start,
                    "end": first.end,
                },
            )
            chosen[name], _ = Deliverable.objects.get_or_create(
                task=task,
                code=f"{number}.1",
                defaults={"name": "Điểm", "unit": "điểm", "target": 5},
            )
        points = {}
        for name, deliverable in chosen.items():
            point = green_point(w)
            point.field, point.deliverable = field, deliverable
            point.save()
            if passed:
                Assessment.objects.create(
                    point=point,
                    date=dt.date(2020, 9, 1),
                    assessor=w.users["city_admin"],
                    scores={},
                    total=8,
                    passed=True,
                )
            points[name] = point
        return points

    return records


def _assess_data(w, point):
    criterion = point.field.criteria.get()
    return {"date": "2020-09-01", f"c{criterion.pk}": "8", "note": ""}


def _media_data(w, item):
    return {
        "kind": item.kind,
        "title": "Bài đã sửa",
        "outlet": item.outlet,
        "date": "2020-09-01",
        "link": item.link,
        "agency": item.agency_id,
    }


WRITES = [
    Write(
        "page accept application",
        _application_records,
        WRITE_SCOPE,
        _post("network:application-action"),
        _field("status", "allocated"),
        data=lambda w, a: {"action": "accept"},
    ),
    Write(
        "api allocate application",
        _application_records,
        WRITE_SCOPE,
        _post("network-application-allocate"),
        _field("status", "allocated"),
    ),
    Write(
        "page close fair",
        _own_and_other(fair),
        WRITE_SCOPE,
        _post("network:fair-close"),
        _field("status", "held"),
        data=lambda w, f: {"visitors": "10"},
    ),
    Write(
        "page event held",
        _own_and_other(event),
        WRITE_SCOPE,
        _post("network:event-action"),
        _field("status", "held"),
        data=lambda w, e: {"action": "held"},
    ),
    Write(
        "page event cancel",
        _own_and_other(event),
        WRITE_SCOPE,
        _post("network:event-action"),
        _field("status", "cancelled"),
        data=lambda w, e: {"action": "cancel"},
    ),
    Write(
        "page complete pilot",
        _own_and_other(pilot),
        WRITE_SCOPE,
        _post("network:pilot-complete"),
        lambda p: bool(p.results),
        data=lambda w, p: {"results": "Giảm 30%", "on": "2020-12-01"},
    ),
    Write(
        "page draw survey sample",
        _sampled_surveys,
        WRITE_SCOPE,
        _post("network:survey-sample"),
        lambda s: s.responses.exists(),
    ),
    Write(
        "page decline survey response",
        _responses,
        WRITE_SCOPE,
        _post("network:response-decline"),
        _field("declined", True),
    ),
    Write(
        "page answer survey form",
        _responses,
        ANSWER_SCOPE,
        _answer_page,
        _answered,
        data=lambda w, r: {"date": "2020-10-05", "c1": "true"},
    ),
    Write(
        "api answer survey form",
        _responses,
        ANSWER_SCOPE,
        lambda w, r: reverse("response-list"),
        _answered,
        data=lambda w, r: {
            "questionnaire": r.survey.questionnaire_id,
            "enterprise": r.enterprise_id,
            "date": "2020-10-05",
            "values": {"c1": True},
        },
    ),
    Write(
        "page assess green point",
        _green_points(passed=False),
        WRITE_SCOPE,
        _post("network:greenpoint-assess"),
        lambda p: p.assessments.exists(),
        data=_assess_data,
    ),
    Write(
        "page certify green point",
        _green_points(passed=True),
        WRITE_SCOPE,
        _post("network:greenpoint-certify"),
        lambda p: p.certificates.exists(),
        data=lambda w, p: {"on": "2020-09-02"},
    ),
    Write(
        "page edit media item",
        _own_and_other(media),
        WRITE_SCOPE,
        _post("network:media-edit"),
        _field("title", "Bài đã sửa"),
        data=_media_data,
    ),
]
