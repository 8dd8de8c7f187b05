"""Registry import from XLSX and CSV: good files go in whole, bad ones not at all."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook
from stdnum.vn import mst

from scpvn.registry.importing import HEADERS, annotated_errors, import_file, validate_file
from scpvn.registry.models import Enterprise

pytestmark = pytest.mark.django_db


def tax(n: int) -> str:
    """The n-th valid tax code of a test series."""
    found = 0
    for i in range(100_000):
        prefix = f"0102{i:05d}"
        digit = mst.calc_check_digit(prefix)
        if len(digit) == 1:
            if found == n:
                return prefix + digit
            found += 1
    raise AssertionError


GOOD = [
    [
        tax(0),
        "Công ty TNHH Siêu thị Xanh",
        "12 Láng Hạ",
        "Đống Đa",
        "",
        "4711",
        "Vừa",
        "",
        "Siêu thị",
    ],
    [tax(1), "Công ty CP Thực phẩm Sạch", "5 Kim Mã", "Quận Ba Đình", "", "1010", "Nhỏ", "", ""],
    [
        tax(2),
        "Nhà máy Bao bì Thăng Long",
        "KCN Thăng Long",
        "017",
        "",
        "C",
        "lon",
        "KCN-THANGLONG",
        "",
    ],
]


def xlsx(rows, headers=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_xlsx_creates_then_updates_by_tax_code(tmp_path):
    result = import_file(write(tmp_path, "dn.xlsx", xlsx(GOOD)))
    assert (result.ok, result.created, result.updated) == (True, 3, 0)
    factory = Enterprise.objects.get(tax_code=tax(2))
    assert (factory.district.code, factory.size, factory.industrial_zone.code) == (
        "017",
        "large",
        "KCN-THANGLONG",
    )
    assert Enterprise.objects.get(tax_code=tax(0)).distribution == "supermarket"
    changed = [[*GOOD[0][:1], "Siêu thị Xanh (đổi tên)", *GOOD[0][2:]], GOOD[1]]
    result = import_file(write(tmp_path, "dn2.xlsx", xlsx(changed)))
    assert (result.created, result.updated) == (0, 2)
    assert Enterprise.objects.get(tax_code=tax(0)).name == "Siêu thị Xanh (đổi tên)"
    assert Enterprise.objects.count() == 3


def test_csv_with_semicolons_and_a_branch_tax_code(tmp_path):
    branch = f"{tax(0)}-001"
    lines = [";".join(HEADERS), f"{branch};Chi nhánh Cầu Giấy;;Cầu Giấy;;47;;;Cửa hàng tiện lợi"]
    path = write(tmp_path, "dn.csv", "\n".join(lines).encode("utf-8-sig"))
    result = import_file(path)
    assert result.ok, result.problems
    assert Enterprise.objects.get(tax_code=branch).vsic_code == "47"


def test_dry_run_writes_nothing_and_command_reports(tmp_path, capsys):
    path = write(tmp_path, "dn.xlsx", xlsx(GOOD))
    call_command("registry", "import", str(path), "--dry-run")
    assert "sẽ tạo mới 3" in capsys.readouterr().out
    assert Enterprise.objects.count() == 0
    call_command("registry", "import", str(path))
    assert Enterprise.objects.count() == 3


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        (
            [
                tax(5)[:-1] + str((int(tax(5)[-1]) + 1) % 10),
                "X",
                "",
                "Đống Đa",
                "",
                "4711",
                "",
                "",
                "",
            ],
            "Mã số thuế",
            "sai chữ số kiểm tra",
        ),
        (
            [GOOD[0][0], "Trùng", "", "Đống Đa", "", "4711", "", "", ""],
            "Mã số thuế",
            "trùng với dòng 2",
        ),
        ([tax(5), "X", "", "Quận Atlantis", "", "4711", "", "", ""], "Quận/Huyện", "không có quận"),
        ([tax(5), "X", "", "Đống Đa", "", "99999", "", "", ""], "Mã ngành VSIC", "VSIC 2018"),
        ([tax(5), "", "", "Đống Đa", "", "4711", "", "", ""], "Tên doanh nghiệp", "trống"),
        ([tax(5), "X", "", "Đống Đa", "", "4711", "Khổng lồ", "", ""], "Quy mô", "không hợp lệ"),
    ],
    ids=["check-digit", "duplicate", "district", "vsic", "empty", "size"],
)
def test_bad_row_is_reported_and_nothing_is_written(tmp_path, row, column, reason):
    path = write(tmp_path, "bad.xlsx", xlsx([*GOOD, row]))
    result = import_file(path)
    assert not result.ok
    assert [(p.row, p.column) for p in result.problems] == [(5, column)]
    assert reason in result.problems[0].reason
    assert Enterprise.objects.count() == 0
    with pytest.raises(CommandError) as error:
        call_command("registry", "import", str(path))
    assert error.value.returncode == 1
    annotated = load_workbook(io.BytesIO(annotated_errors(path, result.problems)))
    sheet = annotated.active
    assert sheet.cell(2, 1).value == 5
    assert reason in sheet.cell(2, len(HEADERS) + 2).value
    bad_cell = sheet.cell(2, 2 + HEADERS.index(column))
    assert bad_cell.fill.fgColor.rgb.endswith("FFC7CE")


def test_every_bad_row_is_reported_with_row_column_value(tmp_path):
    rows = [
        [tax(5), "A", "", "Hogwarts", "", "4711", "", "", ""],
        ["0100109107", "B", "", "Đống Đa", "", "ZZ", "", "", ""],
    ]
    _records, problems = validate_file(write(tmp_path, "bad.xlsx", xlsx(rows)))
    assert [str(p) for p in problems] == [
        "dòng 2, cột «Quận/Huyện», giá trị «Hogwarts»: không có quận, huyện này",
        "dòng 3, cột «Mã số thuế», giá trị «0100109107»: sai chữ số kiểm tra",
        "dòng 3, cột «Mã ngành VSIC», giá trị «ZZ»: không có mã này trong VSIC 2018",
    ]


def test_not_a_spreadsheet_and_wrong_headers(tmp_path, capsys):
    for name, content in [
        ("anh.xlsx", b"\x89PNG\r\n\x1a\n\x00\x00binary"),
        ("doc.xlsx", b"PK\x03\x04not really a zip"),
    ]:
        result = import_file(write(tmp_path, name, content))
        assert "không phải bảng tính" in result.problems[0].reason
    wrong = [h if h != "Quận/Huyện" else "Quận" for h in HEADERS]
    result = import_file(write(tmp_path, "h.xlsx", xlsx(GOOD, headers=wrong)))
    assert [(p.row, p.column, p.value) for p in result.problems] == [(1, "Quận/Huyện", "Quận")]
    with pytest.raises(CommandError):
        call_command("registry", "import", str(tmp_path / "h.xlsx"))
    assert "tiêu đề cột 4 phải là «Quận/Huyện»" in capsys.readouterr().err
    assert Enterprise.objects.count() == 0


def test_template_has_exactly_the_headers(tmp_path):
    out = tmp_path / "mau.xlsx"
    call_command("registry", "template", "--out", str(out))
    sheet = load_workbook(out).active
    assert [c.value for c in sheet[1]] == list(HEADERS)


def test_choices_are_read_whatever_the_active_language(tmp_path):
    from django.utils import translation

    with translation.override("en"):
        result = import_file(write(tmp_path, "dn.xlsx", xlsx(GOOD)))
    assert (result.ok, result.created) == (True, 3)
    assert Enterprise.objects.get(tax_code=tax(0)).distribution == "supermarket"


# ---- addresses on today's map ------------------------------------------------------------


def row(n: int, ward: str, district: str = "", province: str = "", zone: str = "") -> list:
    return [tax(20 + n), f"Công ty {n}", "", district, ward, "4711", "", zone, "", province]


def import_rows(tmp_path, rows):
    return import_file(write(tmp_path, "rows.xlsx", xlsx(rows)))


def test_enterprise_filed_under_its_2026_ward_alone(tmp_path):
    result = import_rows(
        tmp_path,
        [row(0, "Phường Cửa Nam", province="Thành phố Hà Nội"), row(1, "00082", province="01")],
    )
    assert result.ok, result.problems
    for enterprise in Enterprise.objects.all():
        assert (enterprise.ward.code, enterprise.district) == ("00082", None)
        assert enterprise.unit == enterprise.ward.unit
        assert enterprise.unit.valid_to is None


@pytest.mark.parametrize("district", ["", "Quận Ba Đình"])
def test_old_ward_merged_whole_lands_in_its_new_ward(tmp_path, district):
    result = import_rows(tmp_path, [row(0, "Phường Quán Thánh", district, "Hà Nội")])
    assert result.ok, result.problems
    enterprise = Enterprise.objects.get()
    assert enterprise.ward.name == "Phường Ba Đình"
    assert enterprise.district.code == "001"  # the address as written keeps its old district
    assert enterprise.unit.code == "00004"


def test_split_old_ward_is_refused_naming_the_new_wards(tmp_path):
    result = import_rows(tmp_path, [row(0, "Phường Láng Hạ", "Đống Đa")])
    assert [(p.row, p.column, p.value) for p in result.problems] == [
        (2, "Phường/Xã", "Phường Láng Hạ")
    ]
    reason = result.problems[0].reason
    assert "đã được chia" in reason
    assert "Phường Láng (00199)" in reason
    assert reason.count("(00") == 3
    assert Enterprise.objects.count() == 0


def test_old_name_in_two_districts_asks_for_the_district_then_converts(tmp_path):
    result = import_rows(tmp_path, [row(0, "Xã Kim Chung"), row(1, "Kim Chung", "Đông Anh")])
    assert [(p.row, p.column) for p in result.problems] == [(2, "Phường/Xã"), (3, "Phường/Xã")]
    assert "Huyện Đông Anh" in result.problems[0].reason
    assert "Huyện Hoài Đức" in result.problems[0].reason
    # Kim Chung of Đông Anh was split between two 2025 communes: both are named.
    assert "(00493)" in result.problems[1].reason
    assert "(00508)" in result.problems[1].reason
    assert Enterprise.objects.count() == 0


@pytest.mark.parametrize(
    ("bad", "column", "reason"),
    [
        (row(9, "Phường Cửa Nam", province="Tỉnh Cà Mau"), "Tỉnh/Thành phố", "Hà Nội"),
        (row(9, ""), "Phường/Xã", "ghi phường, xã"),
        (row(9, "Phường Atlantis"), "Phường/Xã", "không có phường, xã này"),
        (row(9, "Phường Cửa Nam", "Huyện Atlantis"), "Quận/Huyện", "không có quận"),
    ],
    ids=["other-province", "no-address", "unknown-ward", "unknown-district"],
)
def test_bad_addresses_write_nothing(tmp_path, bad, column, reason):
    result = import_rows(tmp_path, [row(0, "Phường Cửa Nam"), bad])
    assert [(p.row, p.column) for p in result.problems] == [(3, column)]
    assert reason in result.problems[0].reason
    assert Enterprise.objects.count() == 0


@pytest.mark.parametrize(
    "zone", ["KCN Thăng Long", "kcn thang long", "Khu công nghiệp Thăng Long", "KCN-THANGLONG"]
)
def test_industrial_zone_by_its_common_short_name(tmp_path, zone):
    result = import_rows(tmp_path, [row(0, "Xã Thiên Lộc", zone=zone)])
    assert result.ok, result.problems
    assert Enterprise.objects.get().industrial_zone.code == "KCN-THANGLONG"


def test_records_made_before_the_tree_get_their_unit(tmp_path):
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "scpvn.registry.migrations.0005_fill_units_of_existing_records"
    )
    assert import_rows(
        tmp_path, [row(0, "Phường Cửa Nam"), [tax(30), "Cũ", "", "Đống Đa", "", "4711"]]
    ).ok
    Enterprise.objects.update(unit=None)
    migration.fill(apps, None)
    units = dict(Enterprise.objects.values_list("name", "unit__code"))
    assert units == {"Công ty 0": "00082", "Cũ": "006"}
