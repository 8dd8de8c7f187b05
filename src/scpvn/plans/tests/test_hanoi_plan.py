"""The shipped Plan 96 file: valid, complete, and faithful to the parts we can count."""

import json
import subprocess
import sys

from scpvn.plans.planfile import read_plan_file
from scpvn.plans.tests.test_planfile import HANOI


def test_hanoi_plan_is_valid_and_complete():
    doc = read_plan_file(HANOI)
    assert doc.code == "96/KH-UBND"
    assert str(doc.issued) == "2020-05-07"
    assert [t.number for t in doc.tasks] == list(range(1, 11))
    assert [g.number for g in doc.groups] == [1, 2, 3]
    assert {t.group for t in doc.tasks if t.number <= 3} == {1}
    assert {t.group for t in doc.tasks if 4 <= t.number <= 6} == {2}
    assert {t.group for t in doc.tasks if t.number >= 7} == {3}
    codes = [i.code for i in doc.indicators]
    for code in ["4.1", "4.2", "4.2.1", "4.2.2", "4.2.3", "4.3", "4.4", "5.1", "5.2", "5.2.1"]:
        assert code in codes
    targets = {i.code: i.target for i in doc.indicators}
    assert targets["4.1"] == 50 and targets["4.2.1"] == 65 and targets["4.3"] == 70
    assert targets["5.1"] == 45


def test_4_4_is_two_parts_and_4_1_and_4_4_divide_by_the_registry():
    """4.1 ("tỷ lệ các doanh nghiệp trong lĩnh vực phân phối") and 4.4 ("100% doanh
    nghiệp") are about every enterprise of the group, not only those surveyed; 4.4's two
    targets (the safe agri-food chain, QR traceability) are parts, as 4.2 and 5.2 are."""
    doc = read_plan_file(HANOI)
    by_code = {i.code: i for i in doc.indicators}
    assert by_code["4.4"].method is None and by_code["4.4"].target is None
    assert [c for c in by_code if c.startswith("4.4.")] == ["4.4.1", "4.4.2"]
    for code in ("4.1", "4.4.1", "4.4.2"):
        assert by_code[code].method.params["denominator"] == "registry", code
    chain, qr = by_code["4.4.1"].method.params, by_code["4.4.2"].method.params
    assert chain["condition"] == [{"question": "tham_gia_chuoi", "equals": True}]
    assert qr["condition"] == [
        {"any": [{"question": "ma_qr", "equals": True}, {"traceable": True}]}
    ]
    assert by_code["4.4.1"].target == by_code["4.4.2"].target == 100


def test_hanoi_deliverable_quantities():
    doc = read_plan_file(HANOI)
    by_task = {t.number: {d.target for d in t.deliverables} for t in doc.tasks}
    assert {30, 6, 5000} <= by_task[1]
    assert 5 in by_task[2]
    assert {90, 3, 1} <= by_task[4]
    assert {4, 2} <= by_task[5]
    assert {4, 30000, 12000} <= by_task[8]
    assert 2 in by_task[9]


def test_truncated_duty_is_marked_and_only_that_one():
    doc = read_plan_file(HANOI)
    truncated = [d for d in doc.duties if d.truncated]
    assert [d.agency for d in truncated] == ["SGDDT"]
    assert truncated[0].text.endswith("vận")


def test_validate_json_prints_the_whole_plan():
    out = subprocess.run(
        [sys.executable, "-m", "scpvn.cli", "plan", "validate", str(HANOI), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(out.stdout)
    assert len(data["tasks"]) == 10 and data["code"] == "96/KH-UBND"
    assert data["tasks"][0]["lead"] == "SCT"
