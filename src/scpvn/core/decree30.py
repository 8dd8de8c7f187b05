"""The pieces of the Decree 30/2020/NĐ-CP layout every official document shares (the
periodic, inspection and survey reports): the number line, the place and date, the text of
the visible signatures. The HTML of the heading, the footer with the signature boxes and the
page style are the templates `core/document/_heading.html`, `_footer.html` and `_style.html`,
printed through `core.pdf`."""

import datetime as dt

from django.utils import timezone

BLANK = "\u00a0" * 6  # room left for the number and the day, filled in by hand when signed
# The id of the person's signature box in `core/document/_footer.html`: issuing places the
# two signature fields over it.
SIGNATURE_ANCHOR = "chu-ky-nguoi-ky"


def number_line(number, symbol: str) -> str:
    """`Số: 12/BC-SCT`, or room for the number while it is not given."""
    return f"Số: {number or BLANK}/{symbol}"


def place_date(place: str, day: dt.date | None, year: int) -> str:
    """`Hà Nội, ngày 05 tháng 07 năm 2020`, or room for the day in `year`."""
    if day:
        return f"{place or ''}, ngày {day:%d} tháng {day:%m} năm {day:%Y}"
    return f"{place or ''}, ngày{BLANK}tháng{BLANK}năm {year}"


def signed_at(issue) -> str:
    """When an issued document was signed, as its signature boxes show it."""
    return f"{timezone.localtime(issue.signed_at):%d/%m/%Y %H:%M}" if issue else ""


def report_symbol(agency_code: str) -> str:
    """The symbol after a report's number (Decree 30, Appendix III): `BC-SCT`."""
    return f"BC-{agency_code}"
