"""The network demo file is checked before anything is written."""

import pytest
import yaml
from django.core.exceptions import ValidationError

from scpvn.fairs.models import Chain
from scpvn.network import demo


@pytest.fixture
def demo_plan(mini_plan):
    """The mini plan under the demo file's plan code, with the demo's deliverable codes."""
    mini_plan.code = demo.read_data()["plan"]
    mini_plan.save(update_fields=["code"])
    return mini_plan


def test_unknown_deliverable_or_district_is_a_file_key_error_and_nothing_written(
    tmp_path, demo_plan
):
    data = demo.read_data()
    data["chains"][0]["deliverable"] = "99.9"
    data["event_venue"]["district"] = "999"
    path = tmp_path / "network.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValidationError) as error:
        demo.load(lambda line: None, path)
    assert "network.yaml: chains[0].deliverable: no deliverable 99.9" in str(error.value)
    assert "network.yaml: event_venue.district: no district 999" in str(error.value)
    assert not Chain.objects.exists()


def test_relative_days_follow_the_app_today(demo_plan):
    ctx = demo.Demo(demo_plan, demo.read_data(), lambda line: None)
    assert (ctx.day("today+30") - ctx.today).days == 30
    assert (ctx.today - ctx.day("today-100")).days == 100
    with pytest.raises(ValidationError, match="neither ISO"):
        ctx.day("next week")
