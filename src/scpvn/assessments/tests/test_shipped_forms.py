"""The shipped questionnaires are XLSForms: compiled by pyxform at the door, each with its
readable CSV twin, and giving the very codes, question names, types and choice values the
YAML files they replaced gave (answers already stored and the indicators naming them keep
working)."""

import re
import shutil

import openpyxl
import pytest
from django.apps import apps
from pyxform.xls2xform import convert

from scpvn.assessments.models import Questionnaire
from scpvn.assessments.services import DATA_DIR, load_questionnaires, shipped_forms
from scpvn.assessments.xlsform import workbook_csv

# What the YAML questionnaires defined (written from them before they were removed): code →
# question name → (engine type, choice values in order).
BEFORE = {
    "BB-CHO": {
        "ky": ("single", ("goc", "theo_doi")),
        "kho_phan_huy_kg": ("number", ()),
        "tong_bao_bi_kg": ("number", ()),
        "so_tui_kho_phan_huy": ("number", ()),
        "so_ho_kinh_doanh": ("number", ()),
        "anh": ("photo", ()),
    },
    "CHUOI-ATTP": {
        "tham_gia_chuoi": ("yes_no", ()),
        "ma_qr": ("yes_no", ()),
        "so_san_pham": ("number", ()),
    },
    "CNS-KCN": {
        "doi_moi_cong_nghe": ("yes_no", ()),
        "linh_vuc": (
            "multiple",
            ("xu_ly_nuoc_thai", "tiet_kiem_nang_luong", "giam_phat_thai", "tai_che"),
        ),
        "von_dau_tu": ("number", ()),
        "iso14001": ("yes_no", ()),
        "ngay_ap_dung": ("date", ()),
    },
    "NLCT-2020": {
        "c1": ("single", ("1", "2", "3", "4", "5")),
        "c2": ("single", ("1", "2", "3", "4", "5")),
        "c3": ("single", ("1", "2", "3", "4", "5")),
        "c4": ("yes_no", ()),
        "c5": ("yes_no", ()),
        "c6": ("number", ()),
        "c7": ("text", ()),
    },
    "NILON-ST": {
        "dung_tui_kho_phan_huy": ("yes_no", ()),
        "thay_the": ("multiple", ("tui_phan_huy_sinh_hoc", "tui_giay", "tui_vai", "la_chuoi")),
        "anh_minh_chung": ("photo", ()),
        "ghi_chu": ("text", ()),
    },
    "SX-BBN": {
        "con_san_xuat": ("yes_no", ()),
        "san_luong": ("number", ()),
        "bien_phap": (
            "multiple",
            (
                "chuyen_doi_san_pham",
                "giam_san_luong",
                "cong_nghe_phan_huy",
                "tai_che",
                "ngung_san_xuat",
            ),
        ),
        "ngay_cam_ket": ("date", ()),
        "ghi_chu": ("text", ()),
    },
    "SXSH-PP": {
        "muc_do": ("single", ("chua_biet", "nhan_thuc", "huong_dan", "ap_dung")),
        "giai_phap": (
            "multiple",
            ("den_led", "dieu_hoa_inverter", "quan_ly_nang_luong", "giam_bao_bi", "phan_loai_rac"),
        ),
        "dien_tieu_thu": ("number", ()),
        "tap_huan": ("yes_no", ()),
        "ghi_chu": ("text", ()),
    },
}
WORKBOOKS = sorted(DATA_DIR.glob("*.xlsx"))


def test_xlsform_is_the_one_definition_format():
    assert {p.suffix for p in DATA_DIR.iterdir()} == {".xlsx", ".csv"}
    assert {p.stem for p in DATA_DIR.glob("*.csv")} == {p.stem for p in WORKBOOKS}
    assert len(WORKBOOKS) == 7


@pytest.mark.parametrize("workbook", WORKBOOKS, ids=lambda p: p.stem)
def test_each_twin_is_written_from_its_workbook_and_compiles_to_the_same_xform(workbook):
    twin = workbook.with_suffix(".csv").read_text(encoding="utf-8")
    assert twin == workbook_csv(workbook.read_bytes()), "run: scpvn forms twins"
    from_workbook = convert(workbook.read_bytes(), file_type=".xlsx")
    from_twin = convert(twin.encode(), file_type=".csv")
    assert from_twin.xform == from_workbook.xform
    assert from_workbook.warnings == []


def test_the_compiled_forms_ask_what_the_yaml_files_asked():
    compiled = shipped_forms()
    assert {
        code: {f.code: (str(f.type), tuple(c["value"] for c in f.choices)) for f in form.fields}
        for code, form in compiled.items()
    } == BEFORE
    # The field lists follow the question order of the files they replaced.
    assert {code: list(BEFORE[code]) for code in compiled} == {
        code: [f.code for f in form.fields] for code, form in compiled.items()
    }
    assert {code: (f.subject, f.version) for code, f in compiled.items()} == {
        "SXSH-PP": ("enterprise", "1"), "CNS-KCN": ("enterprise", "1"),
        "BB-CHO": ("place", "1"), "NILON-ST": ("place", "1"), "SX-BBN": ("enterprise", "1"),
        "CHUOI-ATTP": ("enterprise", "1"), "NLCT-2020": ("enterprise", "1"),
    }  # fmt: skip
    assert compiled["NILON-ST"].place_kinds == ["supermarket", "mall"]
    assert compiled["BB-CHO"].indicators == ["4.2.1"]
    units = {f.code: f.unit for f in compiled["BB-CHO"].fields if f.unit}
    assert units == {"kho_phan_huy_kg": "kg", "tong_bao_bi_kg": "kg", "so_tui_kho_phan_huy": "túi",
                     "so_ho_kinh_doanh": "hộ"}  # fmt: skip


@pytest.mark.django_db
def test_the_database_holds_the_same_questions_and_loading_again_changes_nothing():
    def rows():
        return sorted(
            Questionnaire.objects.filter(version=1).values_list(
                "code", "title", "description", "subject", "place_kinds", "indicators",
                "questions__code", "questions__order", "questions__text", "questions__type",
                "questions__choices", "questions__unit", "questions__required",
            ),
            key=repr,
        )  # fmt: skip

    before = rows()
    assert {
        code: {r[6]: (r[9], tuple(c["value"] for c in r[10])) for r in before if r[0] == code}
        for code in BEFORE
    } == BEFORE
    assert load_questionnaires() == 7
    assert rows() == before


def test_a_broken_shipped_form_is_refused_with_its_sheet_row_and_column(tmp_path):
    book = openpyxl.load_workbook(DATA_DIR / "bao-bi-cho.xlsx")
    survey = book["survey"]
    header = [c.value for c in survey[1]]
    survey.cell(row=5, column=header.index("constraint") + 1, value=". >= ")
    book.save(tmp_path / "bao-bi-cho.xlsx")
    with pytest.raises(ValueError) as refused:
        shipped_forms(tmp_path)
    assert str(refused.value).startswith("bao-bi-cho.xlsx: survey, dòng 5, cột constraint (E5)")
    shutil.copy(DATA_DIR / "bao-bi-cho.xlsx", tmp_path / "other.xlsx")
    (tmp_path / "bao-bi-cho.xlsx").unlink()
    shutil.copy(DATA_DIR / "bao-bi-cho.xlsx", tmp_path / "again.xlsx")
    with pytest.raises(ValueError, match="trùng"):
        shipped_forms(tmp_path)


def test_one_engine_holds_every_question_and_answer():
    holders = {
        model._meta.app_label
        for model in apps.get_models()
        if re.search(r"Question|Answer", model.__name__)
    }
    assert holders == {"assessments"}
