"""An XLSForm written in the tests with openpyxl: a market inspection using every kind of
question the field needs (select_one/select_multiple, numbers with constraints, relevant,
calculate, a repeat, geopoint, image)."""

import io
from pathlib import Path

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

# A form written in a spreadsheet, kept as a file: a photo per market stall (a repeat group),
# a lookup in the list of places, a choice filter on a sibling inside the repeat, a regex
# constraint and choice names. Its text twin (`kt-quay.csv`) is there to read it in review.
STALLS_XLSFORM = Path(__file__).parent / "data" / "kt-quay.xlsx"

HEADER = ["type", "name", "label", "constraint", "relevant", "calculation", "required"]
SURVEY = [
    ["today", "today", "", "", "", "", ""],
    ["start", "start", "", "", "", "", ""],
    ["select_one_from_file places.csv", "place", "Chợ được kiểm tra", "", "", "", "yes"],
    ["select_one yn", "tui_mien_phi", "Có phát túi nilon miễn phí?", "", "", "", "yes"],
    ["integer", "so_tui", "Số túi đếm được", ". >= 0", "${tui_mien_phi} = 'yes'", "", "yes"],
    ["decimal", "kg_nilon", "Khối lượng túi nilon (kg)", ". >= 0 and . < 1000", "", "", ""],
    ["calculate", "gam_nilon", "", "", "", "${kg_nilon} * 1000", ""],
    ["select_multiple thay_the", "thay_the", "Bao bì thay thế đang dùng", "", "", "", ""],
    ["begin_repeat", "quay", "Quầy hàng", "", "", "", ""],
    ["text", "ten_quay", "Tên quầy", "", "", "", ""],
    ["integer", "hop_xop", "Số hộp xốp", ". >= 0", "", "", ""],
    ["end_repeat", "", "", "", "", "", ""],
    ["geopoint", "gps", "Vị trí", "", "", "", ""],
    ["image", "anh", "Ảnh hiện trường", "", "", "", ""],
]
CHOICES = [
    ["list_name", "name", "label"],
    ["yn", "yes", "Có"],
    ["yn", "no", "Không"],
    ["thay_the", "giay", "Túi giấy"],
    ["thay_the", "vai", "Túi vải"],
]
SETTINGS = [["form_id", "version", "form_title", "place_kinds"], ["KT-CHO", "2026120101", "Kiểm tra túi nilon tại chợ", "market"]]  # fmt: skip


def workbook(survey=SURVEY, choices=CHOICES, settings=SETTINGS, name="kt-cho.xlsx"):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in [HEADER, *survey]:
        sheet.append(row)
    for title, rows in (("choices", choices), ("settings", settings)):
        other = book.create_sheet(title)
        for row in rows:
            other.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def with_version(version: str):
    return [SETTINGS[0], [SETTINGS[1][0], version, *SETTINGS[1][2:]]]
