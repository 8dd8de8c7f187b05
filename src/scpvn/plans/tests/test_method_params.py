"""`scpvn plan validate` checks each indicator's `method.params` with the schema its engine
registers: a bad parameter is a `file:line: path: reason` error, like any other."""

from pathlib import Path

import pytest

from scpvn.plans.planfile import PlanFileError, parse_plan_text

HANOI = (Path(__file__).resolve().parents[4] / "plans" / "hanoi-96-kh-ubnd-2020.yaml").read_text(
    encoding="utf-8"
)


def problems_after(old: str, new: str) -> list[str]:
    assert HANOI.count(old) == 1, old
    text = HANOI.replace(old, new)
    with pytest.raises(PlanFileError) as info:
        parse_plan_text(text)
    line = text[: text.index(new)].count("\n") + 1
    return [(p.line, p.format("plan.yaml")) for p in info.value.problems], line


@pytest.mark.parametrize(
    ("old", "new", "path", "reason"),
    [
        (
            "questionnaire: NILON-ST",
            "questionnaire: KHONG-CO",
            "method.params.questionnaire",
            "không có bảng hỏi mã KHONG-CO",
        ),
        (
            "filter: {in_industrial_zone: true}",
            "filter: {in_industrial_zones: true}",
            "method.params.filter.in_industrial_zones",
            "tham số không hợp lệ",
        ),
        (
            "- {traceable: true}",
            "- {traceable_by_qr: true}",
            "method.params.condition[0].any[1]",
            "unknown condition traceable_by_qr",
        ),
        (
            "- {question: doi_moi_cong_nghe, equals: true}",
            "- {question: doi_moi, equals: true}",
            "method.params.condition[0].question",
            "bảng hỏi CNS-KCN không có câu hỏi doi_moi",
        ),
        (
            "amount: kho_phan_huy_kg",
            "amount: kho_kg",
            "method.params.amount",
            "bảng hỏi BB-CHO không có câu hỏi kho_kg",
        ),
        (
            "- {question: con_san_xuat, equals: true}",
            "- {question: con_sx, equals: true}",
            "method.params.condition[0].question",
            "bảng hỏi SX-BBN không có câu hỏi con_sx",
        ),
        (
            'filter: {vsic_prefixes: ["22201"]}',
            'filter: {vsic: ["22201"]}',
            "method.params.filter.vsic",
            "tham số không hợp lệ",
        ),
        (
            "- {traceable: true}",
            "- {traceable: 'có'}",
            "method.params.condition[0].any[1]",
            "traceable must be bool",
        ),
    ],
)
def test_a_bad_parameter_is_a_located_error(old, new, path, reason):
    problems, line = problems_after(old, new)
    (found,) = [text for _, text in problems if path in text]
    assert reason in found
    at = int(found.split(":")[1])
    assert line - 3 <= at <= line, found


def test_an_unknown_denominator_is_an_error_at_its_line():
    """A share divides by the registry's population or by those observed; anything else is
    refused at `scpvn plan validate` with the file, the line and the indicator's path."""
    old = "ap_dung]}\n        denominator: registry"
    problems, line = problems_after(old, "ap_dung]}\n        denominator: surveyed")
    (found,) = [text for _, text in problems]
    assert found.startswith(f"plan.yaml:{line + 1}: indicators[0].method.params.denominator: ")
    assert "'observed' or 'registry'" in found


def test_the_engine_does_not_import_trace():
    engine = Path(__file__).resolve().parents[2] / "indicators"
    source = [p for p in engine.rglob("*.py") if "tests" not in p.parts]
    assert source and not [p.name for p in source if "scpvn.trace" in p.read_text("utf-8")]
