"""Demo indicator values: the hand-entered national figures (with a source document) and
every computed indicator of the plan over the demo surveys and inspections (4.2.3 counts the
SX-BBN producers still producing)."""

from collections.abc import Callable
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile

from scpvn.indicators.models import ManualValue
from scpvn.indicators.services import compute_plan
from scpvn.plans.models import Plan
from scpvn.plans.planfile import read_plan_file

ORDER = 50
PERIOD = "2020"
SOURCE = "Số liệu minh họa cho bản trình diễn — không phải số liệu chính thức"
# Illustrative national figures (the plan's 5.x are reported by ministries).
NATIONAL = {
    "5.1": Decimal("38.5"),
    "5.2.1": Decimal("97.2"),
    "5.2.2": Decimal("31"),
    "5.2.3": Decimal("68.4"),
}


def load(log: Callable[[str], None]) -> None:
    plan = Plan.objects.get(code=read_plan_file(settings.SCPVN_DEFAULT_PLAN_FILE).code)
    for code, value in NATIONAL.items():
        indicator = plan.indicators.get(code=code)
        if indicator.manual_values.filter(period=PERIOD).exists():
            continue
        entry = ManualValue(
            indicator=indicator, period=PERIOD, value=value, source_title=SOURCE, note=SOURCE
        )
        entry.source_document.save(
            f"nguon-{code}.txt", ContentFile(f"{code}: {value} — {SOURCE}\n".encode()), save=False
        )
        entry.save()
    stored = compute_plan(plan)
    log(f"Chỉ tiêu: {stored} giá trị theo kỳ và quận, huyện đã tính")
