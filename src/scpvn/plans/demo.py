from collections.abc import Callable

from django.conf import settings

from scpvn.plans.planfile import read_plan_file
from scpvn.plans.services import load_plan

ORDER = 10


def load(log: Callable[[str], None]) -> None:
    """The default plan, then the later plans beside it (Hanoi 2024 and 2026 on wards), so the
    demo shows the programme across years."""
    for path in [settings.SCPVN_DEFAULT_PLAN_FILE, *settings.SCPVN_DEMO_PLAN_FILES]:
        report = load_plan(read_plan_file(path))
        log(
            f"Kế hoạch {report.plan.code or report.plan.slug}: "
            f"{report.created} tạo mới, {report.updated} cập nhật"
        )
