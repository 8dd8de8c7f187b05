import datetime as dt

from django.core.files.base import ContentFile

from scpvn.core.tests.matrix import ADMIN, SIGNED_IN, STAFF, Rule, Scope

OFFICERS = ADMIN | {"agency_officer"}
POST_ONLY = "POST only: a state change, tested in test_views"


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
    from scpvn.surveys.models import Survey

    return Survey.objects.create(title="Khảo sát", year=2020, agency=_agency())


def response(w):
    from scpvn.surveys.models import SurveyResponse, SurveySector

    s = survey(w)
    sector = SurveySector.objects.create(survey=s, name="Cơ khí", vsic_prefixes=["47"])
    return SurveyResponse.objects.create(survey=s, sector=sector, enterprise=w.enterprise)


def report(w):
    from scpvn.surveys.models import SurveyReport

    r = SurveyReport(survey=survey(w), respondents=1)
    r.file.save("r.docx", ContentFile(b"docx"), save=True)
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
    "network:greenpoint": Rule(get=SIGNED_IN, kwargs=pk(green_point)),
    "network:greenpoint-dossier": Rule(get=SIGNED_IN, kwargs=pk(green_point)),
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
    "network:response": Rule(get=STAFF, kwargs=pk(response)),
    "network:report-download": Rule(get=STAFF, kwargs=pk(report)),
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
    "network-application-detail": Rule(get=SIGNED_IN, kwargs=pk(application)),
    "network-application-allocate": Rule(get=OFFICERS, kwargs=pk(application), skip=POST_ONLY),
    "network-greenpoint-list": Rule(get=SIGNED_IN),
    "network-greenpoint-detail": Rule(get=SIGNED_IN, kwargs=pk(green_point)),
    "network-guidance-list": Rule(get=STAFF),
    "network-guidance-detail": Rule(get=STAFF, kwargs=pk(guidance)),
    "network-pilot-list": Rule(get=STAFF),
    "network-pilot-detail": Rule(get=STAFF, kwargs=pk(pilot)),
    "network-survey-list": Rule(get=STAFF),
    "network-survey-detail": Rule(get=STAFF, kwargs=pk(survey)),
    "network-response-list": Rule(get=STAFF),
    "network-response-detail": Rule(get=STAFF, kwargs=pk(response)),
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
    return {
        name: FairApplication.objects.create(event=event, enterprise=w.enterprise, products="Gạo")
        for name, event in fairs.items()
    }


def _post(url_name, data):
    from django.urls import reverse

    return lambda w, record: (reverse(url_name, args=[record.pk]), data)


# Write scope of the POST-only actions: every role × an object inside and outside its scope.
BOTH = frozenset({"own", "other"})
WRITE_SCOPE = {"city_admin": BOTH, "agency_officer": frozenset({"own"})}
SCOPES = [
    Scope(
        name="network:application-action accept",
        records=_application_records,
        sees=WRITE_SCOPE,
        edit=_post("network:application-action", {"action": "accept"}),
    ),
    Scope(
        name="network:fair-close",
        records=_own_and_other(fair),
        sees=WRITE_SCOPE,
        edit=_post("network:fair-close", {"visitors": "10"}),
    ),
    Scope(
        name="network:event-action held",
        records=_own_and_other(event),
        sees=WRITE_SCOPE,
        edit=_post("network:event-action", {"action": "held"}),
    ),
    Scope(
        name="network:pilot-complete",
        records=_own_and_other(pilot),
        sees=WRITE_SCOPE,
        edit=_post("network:pilot-complete", {"results": "Giảm 30%", "on": "2020-12-01"}),
    ),
    Scope(
        name="network:survey-sample",
        records=_own_and_other(survey),
        sees=WRITE_SCOPE,
        edit=_post("network:survey-sample", {}),
    ),
    Scope(
        name="network:media-edit",
        records=_own_and_other(media),
        sees=WRITE_SCOPE,
        edit=_post("network:media-edit", {}),
    ),
]
