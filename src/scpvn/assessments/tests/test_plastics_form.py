"""The form shipped with the Hanoi 2026 plan for the 2027/2028 plastics rules: its readable CSV
twin is its workbook's, it publishes (pyxform compiles it) onto the engine with a
GPS point, photos and a "new place" choice, and the demo loader publishes it once."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from scpvn.assessments.demo import plan_forms, publish_plan_forms
from scpvn.assessments.models import PublishedForm, Question
from scpvn.assessments.openrosa import takes_new_places
from scpvn.assessments.publishing import publish_form
from scpvn.assessments.xlsform import workbook_csv
from scpvn.conftest import make_user
from scpvn.orgs.models import Agency
from scpvn.orgs.roles import Role

FORMS = Path(settings.BASE_DIR) / "plans" / "hanoi-2026.forms"
TWIN = FORMS / "kt-nhua-ha-noi.csv"
WORKBOOK = FORMS / "kt-nhua-ha-noi.xlsx"


def test_the_readable_twin_is_the_workbooks():
    assert workbook_csv(WORKBOOK.read_bytes()) == TWIN.read_text(encoding="utf-8")


@pytest.mark.django_db
def test_the_plastics_form_publishes_onto_the_engine(hanoi_plan):
    officer = make_user("canbo.sct", Role.AGENCY_OFFICER, Agency.objects.get(code="SCT"))
    form = publish_form(officer, SimpleUploadedFile(WORKBOOK.name, WORKBOOK.read_bytes()))
    questionnaire = form.questionnaire
    assert (form.form_id, questionnaire.subject) == ("KT-NHUA-HN", "place")
    assert questionnaire.place_kinds == ["market", "supermarket", "mall"]
    types = dict(questionnaire.questions.values_list("code", "type"))
    for code in ("tui_mien_phi", "tui_kho_phan_huy", "hop_xop", "co_thay_the"):
        assert types[code] == Question.Type.YES_NO, code
    assert types["loai_thay_the"] == Question.Type.MULTIPLE
    assert types["anh_1"] == types["anh_2"] == Question.Type.PHOTO
    assert questionnaire.questions.get(code="anh_1").required
    assert form.mapping["gps_path"] == ["gps"] and form.mapping["date_path"] == ["today"]
    assert takes_new_places(form.mapping)
    assert "2027" in form.xml and "01/01/2028" in form.xml


@pytest.mark.django_db
def test_the_demo_publishes_the_plans_forms_once(hanoi_plan):
    assert WORKBOOK in plan_forms()
    make_user("canbo.sct", Role.AGENCY_OFFICER, Agency.objects.get(code="SCT"))
    said: list[str] = []
    publish_plan_forms(said.append)
    publish_plan_forms(said.append)
    assert PublishedForm.objects.filter(form_id="KT-NHUA-HN").count() == 1
    assert len(said) == 1 and "KT-NHUA-HN" in said[0]
