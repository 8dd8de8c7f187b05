"""The report as a Word document in the layout of Decree 30/2020/NĐ-CP (Appendix I): A4,
margins top/bottom 20 mm, left 30 mm, right 15 mm; Times New Roman; the two-column heading
(issuing authority and agency left, national motto right), number and symbol, place and
date, title, body, "Nơi nhận" bottom left and the signature bottom right."""

import datetime as dt
import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from scpvn.reports.services import vn_number

FONT = "Times New Roman"
CENTER, JUSTIFY, LEFT = (
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.JUSTIFY,
    WD_ALIGN_PARAGRAPH.LEFT,
)


def _style(document: Document) -> None:
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(0)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)


def _para(
    container,
    text: str = "",
    *,
    size: float = 14,
    bold=False,
    italic=False,
    underline=False,
    align=JUSTIFY,
    indent: bool = False,
    before: float = 0,
    after: float = 0,
):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if indent:
        fmt.first_line_indent = Mm(10)
    if text:
        run = paragraph.add_run(text)
        run.font.size, run.bold, run.italic, run.underline = Pt(size), bold, italic, underline
        run.font.name = FONT
    return paragraph


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _cell(cell, text: str, *, size: float = 12, bold=False, align=LEFT) -> None:
    cell.paragraphs[0].text = ""
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    run = paragraph.add_run(text)
    run.font.size, run.bold, run.font.name = Pt(size), bold, FONT


def _widths(table, widths: list[float]) -> None:
    """Fixed column widths (Word reads the cells, LibreOffice the grid: set both)."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)


def _grid(document, headers: list[str], rows: list[list[str]], widths: list[float]) -> None:
    """A bordered table; a row whose first cell is a bare number is a task heading, its
    title spanning the middle columns."""
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        _cell(cell, text, bold=True, align=CENTER)
    merges = []
    for row in rows:
        cells = table.add_row().cells
        heading = row[0].isdigit() and len(row) > 5
        for i, (cell, text) in enumerate(zip(cells, row, strict=True)):
            _cell(cell, text, bold=heading, align=LEFT if i == 1 else CENTER)
        if heading:
            merges.append((cells[1], cells[len(row) - 2]))
    _widths(table, widths)
    for first, last in merges:
        merged = first.merge(last)
        for paragraph in merged.paragraphs[1:]:
            if not paragraph.text:
                paragraph._element.getparent().remove(paragraph._element)


def _heading(document, doc: dict) -> None:
    """Issuing authority and agency, number (left); national motto, place and date (right);
    then the title and subtitle."""
    heading = document.add_table(rows=1, cols=2)
    _no_borders(heading)
    _widths(heading, [68, 97])
    left, right = heading.rows[0].cells
    left.paragraphs[0].text = ""
    first = left.paragraphs[0]
    first.alignment = CENTER
    run = first.add_run(doc["authority"])
    run.font.size = Pt(12)
    _para(left, doc["agency"], size=13, bold=True, align=CENTER)
    _para(left, "───────", size=13, align=CENTER)
    _para(left, doc["number"], size=13, align=CENTER, before=6)
    right.paragraphs[0].text = ""
    motto = right.paragraphs[0]
    motto.alignment = CENTER
    run = motto.add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    run.font.size, run.bold = Pt(12), True
    _para(right, "Độc lập - Tự do - Hạnh phúc", size=14, bold=True, underline=True, align=CENTER)
    _para(right, doc["place_date"], size=14, italic=True, align=CENTER, before=12)

    _para(document, doc["title"], size=14, bold=True, align=CENTER, before=18)
    _para(document, doc["subtitle"], size=14, bold=True, align=CENTER, after=12)


def render(doc: dict) -> bytes:
    document = Document()
    _style(document)
    _heading(document, doc)
    _para(document, doc["intro"], indent=True, after=6)

    _para(document, "I. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ", bold=True, after=6)
    if doc["summary"]:
        for line in doc["summary"].splitlines():
            _para(document, line, indent=True, after=6)
    _para(
        document,
        f"Tính đến ngày {doc['as_of']:%d/%m/%Y}, tiến độ bình quân các nhiệm vụ đạt "
        f"{doc['percent']}%; "
        + "; ".join(f"{label}: {n}" for label, n in doc["task_counts"].items() if n)
        + ".",
        indent=True,
        after=6,
    )
    rows = []
    for task in doc["tasks"]:
        rows.append([str(task["number"]), task["title"], "", "", "", "", task["status_label"]])
        for d in task["deliverables"]:
            rows.append(
                [
                    d["display_code"],
                    d["name"],
                    d["unit"],
                    vn_number(d["target"]),
                    vn_number(d["in_period"]),
                    vn_number(d["achieved"]),
                    d["status_label"],
                ]
            )
    _grid(
        document,
        ["TT", "Nhiệm vụ, sản phẩm", "Đơn vị tính", "Chỉ tiêu", "Trong kỳ", "Lũy kế", "Đánh giá"],
        rows,
        [12, 58, 20, 17, 17, 17, 24],
    )
    for task in doc["tasks"]:
        _para(document, f"{task['number']}. {task['title']}", bold=True, before=6)
        if not task["sections"]:
            _para(document, "Chưa có báo cáo của các đơn vị.", italic=True, indent=True)
        for section in task["sections"]:
            paragraph = _para(document, "", indent=True)
            label = paragraph.add_run(f"{section['agency']}: ")
            label.italic = True
            paragraph.add_run(section["text"])

    if doc["duties"]:
        _para(document, "Nhiệm vụ của các cơ quan (mục tổ chức thực hiện)", bold=True, before=6)
    for duty in doc["duties"]:
        paragraph = _para(document, "", indent=True, before=3)
        label = paragraph.add_run(f"{duty['agency']}: ")
        label.bold = True
        paragraph.add_run(duty["text"] + (" […]" if duty["truncated"] else ""))
        for section in duty["sections"]:
            paragraph = _para(document, "", indent=True)
            label = paragraph.add_run(f"{section['agency']}: ")
            label.italic = True
            paragraph.add_run(section["text"])
        for a in duty["activities"]:
            day = dt.date.fromisoformat(a["date"])
            _para(document, f"- {day:%d/%m/%Y}: {a['title']} ({a['agency']})", indent=True)
        if not duty["sections"] and not duty["activities"]:
            _para(document, "Chưa có kết quả báo cáo trong kỳ.", italic=True, indent=True)

    _para(document, "II. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", bold=True, before=12, after=6)
    _grid(
        document,
        ["Mã", "Chỉ tiêu", "Đơn vị", "Mục tiêu", "Kết quả", "Độ bao phủ"],
        [
            [
                i["code"],
                i["name"],
                i["unit"] or "",
                vn_number(i["target"]),
                vn_number(i["value"]),
                i["coverage_text"],
            ]
            for i in doc["indicators"]
        ],
        [14, 66, 16, 18, 18, 33],
    )
    if doc["budget"]:
        _para(document, "Kinh phí thực hiện (đồng)", bold=True, before=12, after=6)
        _grid(
            document,
            ["NV", "Nguồn, quyết định", "Cơ quan chi", "Dự toán", "Cam kết", "Đã chi", "Tiến độ"],
            [
                [
                    f"NV{b['task']}" if b["task"] else "—",
                    f"{b['source']}; {b['decision'] or '—'}",
                    b["agency"],
                    vn_number(b["allocated"]),
                    vn_number(b["committed"]),
                    vn_number(b["spent"]),
                    "—" if b["task_percent"] is None else f"{b['task_percent']}%",
                ]
                for b in doc["budget"]
            ],
            [12, 45, 30, 22, 20, 20, 16],
        )
    _para(document, "III. KHÓ KHĂN, VƯỚNG MẮC", bold=True, before=12, after=6)
    for line in (doc["difficulties"] or "Không có.").splitlines():
        _para(document, line, indent=True, after=6)
    _para(document, "IV. ĐỀ XUẤT, KIẾN NGHỊ", bold=True, before=6, after=6)
    for line in (doc["proposals"] or "Không có.").splitlines():
        _para(document, line, indent=True, after=6)
    _para(document, doc["closing"], indent=True, before=6, after=12)
    _footer(document, doc)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _footer(document, doc: dict) -> None:
    """ "Nơi nhận" bottom left, the signature block bottom right."""
    footer = document.add_table(rows=1, cols=2)
    _no_borders(footer)
    _widths(footer, [85, 80])
    left, right = footer.rows[0].cells
    left.paragraphs[0].text = ""
    run = left.paragraphs[0].add_run("Nơi nhận:")
    run.font.size, run.bold, run.italic = Pt(12), True, True
    for i, recipient in enumerate(doc["recipients"]):
        last = i == len(doc["recipients"]) - 1
        _para(left, f"- {recipient}{'.' if last else ';'}", size=11, align=LEFT)
    right.paragraphs[0].text = ""
    right.paragraphs[0].alignment = CENTER
    if doc["signer_capacity"]:
        run = right.paragraphs[0].add_run(doc["signer_capacity"])
        run.font.size, run.bold = Pt(14), True
        _para(right, doc["signer_title"], size=14, bold=True, align=CENTER)
    else:
        run = right.paragraphs[0].add_run(doc["signer_title"])
        run.font.size, run.bold = Pt(14), True
    for _ in range(4):
        _para(right, "", align=CENTER)
    _para(right, doc["signer_name"], size=14, bold=True, align=CENTER)


def render_inspections(doc: dict) -> bytes:
    """The inspection report (`reports.inspections.inspection_document`): visits by unit and
    by kind of place, the list of visits, and the photos as an annex after the signature."""
    document = Document()
    _style(document)
    _heading(document, doc)
    _para(document, doc["intro"], indent=True, after=6)
    _para(document, doc["summary"], indent=True, after=6)
    for title, key, label in (
        ("I. KẾT QUẢ KIỂM TRA THEO ĐƠN VỊ HÀNH CHÍNH", "by_unit", "Đơn vị hành chính"),
        ("II. KẾT QUẢ KIỂM TRA THEO LOẠI CƠ SỞ", "by_kind", "Loại cơ sở"),
    ):
        _para(document, title, bold=True, before=6, after=6)
        rows = [
            [str(i), row["name"], vn_number(row["visits"]), vn_number(row["places"])]
            for i, row in enumerate(doc[key], 1)
        ]
        _grid(document, ["TT", label, "Lượt kiểm tra", "Số cơ sở"], rows, [12, 93, 30, 30])
    _para(document, "III. DANH SÁCH CÁC LƯỢT KIỂM TRA", bold=True, before=6, after=6)
    _grid(
        document,
        ["Ngày", "Cơ sở", "Loại", "Đơn vị", "Phiếu", "Kết quả"],
        [
            [v["date"], v["place"], v["kind"], v["unit"], v["questionnaire"], v["findings"]]
            for v in doc["visits"]
        ],
        [20, 34, 20, 24, 17, 50],
    )
    _para(document, doc["closing"], indent=True, before=6, after=12)
    _footer(document, doc)
    if doc["photos"]:
        document.add_page_break()
        _para(document, "PHỤ LỤC: ẢNH KIỂM TRA", bold=True, align=CENTER, after=6)
        for photo in doc["photos"]:
            document.add_picture(io.BytesIO(photo.jpeg), width=Mm(120))
            document.paragraphs[-1].alignment = CENTER
            _para(document, photo.caption, size=12, italic=True, align=CENTER, after=6)
        if doc["photos_left_out"]:
            _para(
                document,
                f"Và {doc['photos_left_out']} ảnh khác lưu trên hệ thống.",
                size=12,
                italic=True,
            )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
