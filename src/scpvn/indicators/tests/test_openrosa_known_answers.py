"""Known answers on visits that arrived through OpenRosa: a shipped questionnaire put on
devices, its visits sent from ODK Collect and accepted by a reviewer, the indicator reads
them exactly as typed ones."""

import base64
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from scpvn.assessments.models import PublishedForm, Questionnaire, Response, Submission
from scpvn.assessments.services import DATA_DIR, accept_visit
from scpvn.conftest import make_user
from scpvn.geo.models import District
from scpvn.indicators.models import IndicatorValue
from scpvn.indicators.services import compute_plan
from scpvn.orgs.models import Agency
from scpvn.registry.models import Place

pytestmark = pytest.mark.django_db


def _visit(form_id: str, place: Place, day: str, uuid: str, **values) -> bytes:
    body = "".join(f"<{k}>{v}</{k}>" for k, v in values.items())
    return (
        f'<?xml version="1.0"?><data id="{form_id}" version="1"><today>{day}</today>'
        f"<place>{place.pk}</place>{body}<meta><instanceID>uuid:{uuid}</instanceID></meta></data>"
    ).encode()


def test_a_shipped_form_on_devices_feeds_the_indicator_known_answers(client, hanoi_plan):
    """The known-answer test of 4.2.1 (indicators/tests/test_engine.py), its visits sent from
    ODK Collect instead of typed on a page: the same figures."""
    officer = make_user("canbo", "city_admin", Agency.objects.get(code="SCT"))
    call_command("forms", "publish", str(DATA_DIR / "bao-bi-cho.xlsx"), "--user", "canbo")
    form = PublishedForm.objects.get(form_id="BB-CHO")
    assert (form.questionnaire.code, form.questionnaire.version) == ("BB-CHO", 1)
    assert Questionnaire.objects.filter(code="BB-CHO").count() == 1  # no second version

    def place(name, code):
        district = District.objects.get(code=code)
        return Place.objects.create(name=name, kind="market", district=district, market_class=1)

    m1, m2 = place("Chợ Ô Chợ Dừa", "006"), place("Chợ Châu Long", "001")
    visits = [
        (m1, "2020-01-10", "goc", 30),
        (m2, "2020-01-15", "goc", 50),
        (m2, "2020-05-01", "theo_doi", 40),
        (m1, "2020-11-05", "theo_doi", 10),
        (m2, "2020-11-20", "theo_doi", 20),
    ]
    token = base64.b64encode(b"canbo:x-test-password-1").decode()
    for number, (market, day, phase, kg) in enumerate(visits):
        xml = _visit(
            "BB-CHO", market, day, f"bb-{number}", ky=phase, kho_phan_huy_kg=kg,
            tong_bao_bi_kg=100,
        )  # fmt: skip
        statuses = [
            client.post(
                reverse("openrosa:submission"),
                {"xml_submission_file": SimpleUploadedFile("s.xml", xml, "text/xml")},
                HTTP_AUTHORIZATION=f"Basic {token}",
                HTTP_X_OPENROSA_VERSION="1.0",
            ).status_code
            for _twice in range(2)
        ]
        assert statuses == [201, 202]  # stored, then "already received"
    assert Response.objects.filter(questionnaire=form.questionnaire).count() == 5
    assert Response.objects.filter(submission__isnull=False, submitted_by=officer).count() == 5
    reviewer = make_user("kiemduyet", "reviewer", Agency.objects.get(code="SCT"))
    for visit in Submission.objects.all():
        accept_visit(reviewer, visit)
    compute_plan(hanoi_plan)

    def value(period, district=None):
        return IndicatorValue.objects.get(
            indicator__plan=hanoi_plan, indicator__code="4.2.1", period=period,
            district__code=district,
        )  # fmt: skip

    year = value("2020")
    assert (year.denominator, year.numerator, year.value) == (
        Decimal("40.00"),
        Decimal("23.33"),
        Decimal("41.67"),
    )
    assert value("2020-Q4").value == Decimal("62.50")
    assert value("2020-Q2", "001").value == Decimal("20.00")
    assert value("2020-Q4", "001").value == Decimal("60.00")
