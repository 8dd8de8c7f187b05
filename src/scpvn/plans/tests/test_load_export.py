"""Load is idempotent and keeps history; export then load changes nothing."""

import json

import pytest
import yaml
from django.core.management import call_command

from scpvn.plans.models import Deliverable, Plan, Task
from scpvn.plans.planfile import parse_plan_text, read_plan_file
from scpvn.plans.schema import PlanDocument
from scpvn.plans.services import export_plan, load_plan
from scpvn.plans.tests.test_planfile import HANOI

pytestmark = pytest.mark.django_db


def test_reload_is_a_no_op(mini_plan_data):
    first = load_plan(PlanDocument.model_validate(mini_plan_data))
    assert first.created > 0
    again = load_plan(PlanDocument.model_validate(mini_plan_data))
    assert not again.changed, again.changes
    assert Deliverable.history.count() == 3


def test_changed_target_keeps_old_value_in_history(mini_plan_data):
    load_plan(PlanDocument.model_validate(mini_plan_data))
    mini_plan_data["tasks"][0]["deliverables"][0]["target"] = 40
    report = load_plan(PlanDocument.model_validate(mini_plan_data))
    assert report.updated == 1
    deliverable = Deliverable.objects.get(code="1.1")
    assert deliverable.target == 40
    assert [h.target for h in deliverable.history.order_by("history_date")] == [30, 40]


def test_removed_task_is_removed(mini_plan_data):
    load_plan(PlanDocument.model_validate(mini_plan_data))
    mini_plan_data["tasks"].pop()
    load_plan(PlanDocument.model_validate(mini_plan_data))
    assert list(Task.objects.values_list("number", flat=True)) == [1]


def test_hanoi_export_equals_normalized_file_and_reload_is_no_op(tmp_path):
    doc = read_plan_file(HANOI)
    plan = load_plan(doc).plan
    exported = export_plan(plan)
    assert exported == doc.model_dump(mode="json")
    again = load_plan(parse_plan_text(yaml.safe_dump(exported, allow_unicode=True)))
    assert not again.changed, again.changes


def test_export_command_formats(tmp_path, mini_plan):
    out = tmp_path / "plan.json"
    call_command("plan", "export", mini_plan.code, "--format", "json", "--out", str(out))
    assert json.loads(out.read_text(encoding="utf-8"))["code"] == mini_plan.code
    out_yaml = tmp_path / "plan.yaml"
    call_command("plan", "export", mini_plan.code, "--out", str(out_yaml))
    call_command("plan", "load", str(out_yaml))
    assert Plan.objects.count() == 1
