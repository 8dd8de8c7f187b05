from collections.abc import Callable

from django.conf import settings

from scpvn.plans.planfile import read_plan_file
from scpvn.plans.services import load_plan

ORDER = 10


def load(log: Callable[[str], None]) -> None:
    report = load_plan(read_plan_file(settings.SCPVN_DEFAULT_PLAN_FILE))
    log(f"Kế hoạch {report.plan.code}: {report.created} tạo mới, {report.updated} cập nhật")
