"""Survey reports: tables of the answers and bar charts drawn with Pillow (the project has
no plotting library; a bar chart needs nothing more than rectangles), as DOCX and as PDF. The
PDF is an official document in the Decree 30 layout (`core.decree30`, printed by `core.pdf`
in the one document typeface); issuing numbers and signs it as it does the other reports
(`reports.issuing`)."""

import base64
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from docx import Document
from docx.shared import Cm
from PIL import Image, ImageDraw, ImageFont

from scpvn.assessments.models import Answer, Question
from scpvn.core.decree30 import number_line, place_date, report_symbol, signed_at
from scpvn.core.pdf import html_to_pdf

FONT_FILES = [
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
]


@dataclass
class SectorResults:
    title: str
    sampled: int
    respondents: int
    # (question label, question text, average 1–5) for scale questions
    scales: list[tuple[str, str, float]] = field(default_factory=list)
    # (label, text, share answering yes in %)
    yesno: list[tuple[str, str, float]] = field(default_factory=list)
    # (label, text, average, total)
    numbers: list[tuple[str, str, float, float]] = field(default_factory=list)
    comments: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def from_answers(
        cls,
        *,
        title: str,
        questions: list[Question],
        answers: list[Answer],
        respondents: int,
        sampled: int,
    ):
        """Tables of the engine's answers, per question type: a choice on a numeric scale
        (every choice a number, "1"…"5") is averaged, yes/no gives the share of "Có", a
        number its average and total, free text the first comments. Other types (dates,
        photos, named choices) have no place in a competitiveness report and are left out."""
        results = cls(title=title, sampled=sampled, respondents=respondents)
        by_question: dict[int, list[Answer]] = {}
        for answer in answers:
            by_question.setdefault(answer.question_id, []).append(answer)
        for q in questions:
            given = by_question.get(q.pk, [])
            label = q.code.upper()
            if q.type == Question.Type.SINGLE and is_scale(q):
                values = [int(a.text) for a in given]
                results.scales.append((label, q.text, sum(values) / len(values) if values else 0.0))
            elif q.type == Question.Type.YES_NO:
                values = [a.boolean for a in given if a.boolean is not None]
                share = 100 * sum(1 for v in values if v) / len(values) if values else 0.0
                results.yesno.append((label, q.text, share))
            elif q.type == Question.Type.NUMBER:
                values = [float(a.number) for a in given if a.number is not None]
                total = float(sum(values))
                results.numbers.append(
                    (label, q.text, total / len(values) if values else 0.0, total)
                )
            elif q.type == Question.Type.TEXT:
                results.comments.extend((label, a.text) for a in given[:20])
        return results


def is_scale(question: Question) -> bool:
    """A single choice whose every choice is a whole number: a rating scale."""
    return bool(question.choices) and all(str(c["value"]).isdigit() for c in question.choices)


def _font(size: int) -> ImageFont.ImageFont:
    for path in FONT_FILES:
        if path.exists():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def bar_chart_png(bars: list[tuple[str, float]], *, maximum: float, unit: str = "") -> bytes:
    """A horizontal bar chart as PNG: one labelled bar per (label, value), scaled to
    `maximum`, value printed at the bar's end."""
    width, row, left, right = 900, 44, 90, 110
    height = row * len(bars) + 30
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font = _font(20)
    span = width - left - right
    for i, (label, value) in enumerate(bars):
        y = 15 + i * row
        draw.text((10, y + 8), label, fill="black", font=font)
        length = int(span * (value / maximum)) if maximum else 0
        draw.rectangle([left, y + 4, left + max(length, 1), y + row - 8], fill="#198754")
        draw.text(
            (left + length + 8, y + 8),
            f"{value:.1f}{unit}".replace(".", ","),
            fill="black",
            font=font,
        )
    draw.line([left, 10, left, height - 10], fill="#555555", width=2)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _number(value: float) -> str:
    return f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def build_report_docx(*, survey_title: str, results: SectorResults, year: int) -> bytes:
    doc = Document()
    doc.add_heading(_("BÁO CÁO KẾT QUẢ KHẢO SÁT"), level=0)
    doc.add_paragraph(survey_title)
    doc.add_heading(results.title, level=1)
    doc.add_paragraph(
        _("Năm %(y)s. Số doanh nghiệp trong mẫu: %(s)s; số phiếu trả lời: %(r)s (tỷ lệ %(p)s%%).")
        % {
            "y": year,
            "s": results.sampled,
            "r": results.respondents,
            "p": _number(100 * results.respondents / results.sampled if results.sampled else 0),
        }
    )
    if results.scales:
        doc.add_heading(_("1. Đánh giá năng lực (thang điểm 1–5)"), level=2)
        doc.add_picture(
            io.BytesIO(bar_chart_png([(lbl, avg) for lbl, _t, avg in results.scales], maximum=5)),
            width=Cm(16),
        )
        _table(
            doc,
            [_("Mã"), _("Câu hỏi"), _("Điểm bình quân")],
            [(lbl, text, _number(avg)) for lbl, text, avg in results.scales],
        )
    if results.yesno:
        doc.add_heading(_("2. Tỷ lệ doanh nghiệp trả lời “Có” (%)"), level=2)
        doc.add_picture(
            io.BytesIO(
                bar_chart_png([(lbl, v) for lbl, _t, v in results.yesno], maximum=100, unit="%")
            ),
            width=Cm(16),
        )
        _table(
            doc,
            [_("Mã"), _("Câu hỏi"), "%"],
            [(lbl, text, _number(v)) for lbl, text, v in results.yesno],
        )
    if results.numbers:
        doc.add_heading(_("3. Số liệu"), level=2)
        _table(
            doc,
            [_("Mã"), _("Câu hỏi"), _("Bình quân"), _("Tổng")],
            [
                (lbl, text, _number(avg), _number(total))
                for lbl, text, avg, total in results.numbers
            ],
        )
    if results.comments:
        doc.add_heading(_("4. Ý kiến của doanh nghiệp"), level=2)
        for label, text in results.comments:
            doc.add_paragraph(f"{label}: {text}", style="List Bullet")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _table(doc, header: list[str], rows: list[tuple]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = str(text)
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = str(text)


# --- the PDF: an official document ----------------------------------------------------------


def plan_of(report):
    """The plan the survey report answers to: that of the deliverable it counts toward (the
    sector's, or the summary's), else of the survey's own."""
    survey = report.survey
    own = report.sector.report_deliverable if report.sector else survey.summary_deliverable
    for deliverable in (own, survey.deliverable):
        if deliverable is not None:
            return deliverable.task.plan
    return None


def _png_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def report_symbol_of(report) -> str:
    """`BC-SCT`: the survey's agency reports as it does on its other reports."""
    return report_symbol(report.survey.agency.code)


def sector_document(report, results: SectorResults, issue=None) -> dict:
    """Everything the PDF of a sector (or the summary) report shows, in the Decree 30 order
    the periodic report follows: heading, number, place and date, title, body (the answers'
    tables and charts), recipients, signature. `issue` (the register's number and date and
    the signers, see `reports.services.Issue`) is given when the report is issued."""
    survey = report.survey
    plan = plan_of(report)
    agency = survey.agency
    agency_name = (plan.agency_names().get(agency.pk) if plan else None) or agency.name
    issuer = plan.issuer if plan else ""
    respondents = results.respondents
    return {
        "authority": issuer.upper(),
        "agency": agency_name.upper(),
        "number": number_line(issue.number if issue else None, report_symbol_of(report)),
        "place_date": place_date(
            plan.place if plan else "", issue.day if issue else None, survey.year
        ),
        "title": "BÁO CÁO",
        "subtitle": _("Kết quả khảo sát năng lực cạnh tranh năm %(y)s: %(t)s")
        % {"y": survey.year, "t": results.title},
        "survey": survey.title,
        "intro": _(
            "Thực hiện %(survey)s, %(agency)s báo cáo kết quả khảo sát %(title)s như sau: số "
            "doanh nghiệp trong mẫu %(s)s; số phiếu trả lời %(r)s (tỷ lệ %(p)s%%)."
        )
        % {
            "survey": survey.title,
            "agency": agency_name,
            "title": results.title.lower(),
            "s": results.sampled,
            "r": respondents,
            "p": _number(100 * respondents / results.sampled if results.sampled else 0),
        },
        "scales": [(lbl, text, _number(avg)) for lbl, text, avg in results.scales],
        "scale_chart": _png_uri(
            bar_chart_png([(lbl, avg) for lbl, _t, avg in results.scales], maximum=5)
        )
        if results.scales
        else "",
        "yesno": [(lbl, text, _number(v)) for lbl, text, v in results.yesno],
        "yesno_chart": _png_uri(
            bar_chart_png([(lbl, v) for lbl, _t, v in results.yesno], maximum=100, unit="%")
        )
        if results.yesno
        else "",
        "numbers": [(lbl, t, _number(a), _number(tot)) for lbl, t, a, tot in results.numbers],
        "comments": results.comments,
        "closing": _("%(agency)s báo cáo %(to)s./.") % {"agency": agency_name, "to": issuer}
        if issuer
        else "",
        "recipients": [r for r in (issuer, "Lưu: VT") if r],
        "signer_capacity": "",
        "signer_title": "GIÁM ĐỐC",
        "signer_name": "",
        "draft": issue is None,
        "issue": issue,
        "signed_at": signed_at(issue),
    }


def sector_html(doc: dict) -> str:
    return render_to_string("surveys/sector_document.html", {"doc": doc})


def build_report_pdf(report, results: SectorResults) -> bytes:
    """The draft PDF (no number yet) of a sector or summary report."""
    return html_to_pdf(sector_html(sector_document(report, results)))
