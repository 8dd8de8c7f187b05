"""Validation of plan files: each bad input gets a located, bilingual error and nothing is written."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from scpvn.plans.planfile import PlanFileError, parse_plan_text, read_plan_file

HANOI = Path(__file__).resolve().parents[4] / "plans" / "hanoi-96-kh-ubnd-2020.yaml"


def dump(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def problems_for(text: str) -> list[str]:
    with pytest.raises(PlanFileError) as info:
        parse_plan_text(text)
    return [p.format("plan.yaml") for p in info.value.problems]


def test_the_mini_plan_is_valid(mini_plan_data):
    doc = parse_plan_text(dump(mini_plan_data))
    assert [t.number for t in doc.tasks] == [1, 2]


def test_missing_key_names_path_and_line(mini_plan_data):
    del mini_plan_data["tasks"][1]["lead"]
    text = dump(mini_plan_data)
    (line,) = problems_for(text)
    lines = text.splitlines()
    task_line = lines.index("- number: 2", lines.index("tasks:")) + 1
    assert (
        line
        == f"plan.yaml:{task_line}: tasks[1].lead: thiếu trường bắt buộc (required field is missing)"
    )


def test_wrong_type_for_target(mini_plan_data):
    mini_plan_data["tasks"][0]["deliverables"][0]["target"] = "ba mươi"
    (line,) = problems_for(dump(mini_plan_data))
    assert "tasks[0].deliverables[0].target: phải là số (must be a number)" in line


def test_quoted_number_is_refused_not_coerced(mini_plan_data):
    mini_plan_data["tasks"][0]["deliverables"][0]["target"] = "30"
    (line,) = problems_for(dump(mini_plan_data))
    assert "phải là số" in line


def test_negative_target(mini_plan_data):
    mini_plan_data["tasks"][1]["deliverables"][0]["target"] = -5
    (line,) = problems_for(dump(mini_plan_data))
    assert "tasks[1].deliverables[0].target: không được âm (must not be negative)" in line


def test_unknown_agency_code(mini_plan_data):
    mini_plan_data["tasks"][0]["partners"] = ["STNMT", "SXX"]
    (line,) = problems_for(dump(mini_plan_data))
    assert "tasks[0].partners[1]: mã cơ quan không có trong agencies: SXX" in line


def test_end_before_start(mini_plan_data):
    mini_plan_data["tasks"][0]["start"], mini_plan_data["tasks"][0]["end"] = "2020-10", "2020-07"
    (line,) = problems_for(dump(mini_plan_data))
    assert "tasks[0].end: tháng kết thúc trước tháng bắt đầu (end is before start)" in line


def test_plan_period_end_before_start(mini_plan_data):
    mini_plan_data["period"]["end"] = mini_plan_data["period"]["start"].replace(year=2019)
    lines = problems_for(dump(mini_plan_data))
    assert any("period.end: ngày kết thúc trước ngày bắt đầu" in line for line in lines)


def test_duplicate_task_number(mini_plan_data):
    mini_plan_data["tasks"][1]["number"] = 1
    lines = problems_for(dump(mini_plan_data))
    assert any("tasks[1].number: trùng lặp" in line for line in lines)
    assert any("tasks[0].number: trùng lặp" in line for line in lines)


def test_month_format(mini_plan_data):
    mini_plan_data["tasks"][0]["start"] = "07/2020"
    (line,) = problems_for(dump(mini_plan_data))
    assert "tasks[0].start: sai định dạng" in line


def test_unknown_key(mini_plan_data):
    mini_plan_data["tasks"][0]["leader"] = "SCT"
    (line,) = problems_for(dump(mini_plan_data))
    assert "tasks[0].leader: trường không được phép (unknown field)" in line


def test_yaml_syntax_error_has_line():
    (line,) = problems_for("code: x\ntasks: [1, 2\nother: 3\n")
    assert line.startswith("plan.yaml:3: (gốc): lỗi cú pháp YAML")


def test_not_utf8(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("code: x\ntitle: Kế hoạch\n".encode("utf-16"))
    with pytest.raises(PlanFileError) as info:
        read_plan_file(path)
    assert "không phải UTF-8" in info.value.problems[0].vi


def test_parent_indicator_may_not_have_target(mini_plan_data):
    mini_plan_data["indicators"][1]["target"] = 10
    (line,) = problems_for(dump(mini_plan_data))
    assert "indicators[1].target" in line


def test_validate_command_exit_codes(tmp_path, mini_plan_data):
    good = tmp_path / "good.yaml"
    good.write_text(dump(mini_plan_data), encoding="utf-8")
    mini_plan_data["tasks"][0]["lead"] = "NOPE"
    bad = tmp_path / "bad.yaml"
    bad.write_text(dump(mini_plan_data), encoding="utf-8")
    scpvn = [sys.executable, "-m", "scpvn.cli", "plan", "validate"]
    ok = subprocess.run([*scpvn, str(good), "--json"], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["tasks"][0]["lead"] == "SCT"
    failed = subprocess.run([*scpvn, str(bad)], capture_output=True, text=True)
    assert failed.returncode == 1
    assert failed.stderr.strip().splitlines() == [
        f"{bad}:{bad.read_text().splitlines().index('  lead: NOPE') + 1}: tasks[0].lead: "
        "mã cơ quan không có trong agencies: NOPE (unknown agency code)"
    ]


@pytest.mark.django_db
def test_bad_file_writes_nothing(tmp_path, mini_plan_data):
    from scpvn.plans.models import Plan

    mini_plan_data["tasks"][1]["deliverables"][0]["target"] = -1
    bad = tmp_path / "bad.yaml"
    bad.write_text(dump(mini_plan_data), encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        call_command("plan", "load", str(bad))
    assert exit_info.value.code == 1
    assert not Plan.objects.exists()


def test_committed_json_schema_is_current():
    from scpvn.plans.schema import json_schema

    committed = json.loads((HANOI.parents[1] / "docs" / "plan-schema.json").read_text())
    assert committed == json_schema(), "run: scpvn plan schema --out docs/plan-schema.json"
