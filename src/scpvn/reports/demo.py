"""The two periodic reports of 2020 as they were written: 2020-H1 approved in July, the
annual report submitted in January 2021 and waiting for the reviewer. Figures are frozen
at their submission time, so they show what was known then. Idempotent."""

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from scpvn.orgs.models import Agency, User
from scpvn.plans.models import Plan
from scpvn.reports.models import Report, ReportSection
from scpvn.reports.services import frozen_figures, open_report

ORDER = 90

SECTIONS = {
    "2020-H1": [
        (
            1,
            "SCT",
            "Đã xây dựng kế hoạch truyền thông năm 2020; phối hợp báo Kinh tế & Đô thị "
            "đăng loạt 3 bài về tiêu dùng xanh trong mùa dịch Covid-19.",
        ),
        (4, "SCT", "Đã xây dựng bộ phiếu khảo sát và khảo sát thí điểm 12 doanh nghiệp cơ khí."),
        (
            7,
            "STNMT",
            "Đã trình UBND Thành phố dự thảo Kế hoạch hạn chế sử dụng sản phẩm nhựa "
            "dùng một lần và túi ni lông khó phân hủy.",
        ),
    ],
    "2020": [
        (1, "SCT", "Đăng 32 bài viết, phát 2 clip tại TTTM, phát hành 5.000 cuốn cẩm nang."),
        (1, "DPTTH", "Sản xuất và phát sóng 5 phóng sự trên kênh H1; 01 phóng sự đang bổ sung."),
        (2, "SCT", "Tổ chức 05 lớp tập huấn tại Đống Đa, Hoàng Mai, Đông Anh, Thanh Trì."),
        (2, "UBND-006", "Quận Đống Đa phối hợp tổ chức 01 lớp cho doanh nghiệp trên địa bàn."),
        (
            3,
            "SCT",
            "Ra mắt 02 chuỗi kết nối với 120 gian hàng; chuỗi 1 đạt 58/60 gian hàng do "
            "một số doanh nghiệp rút lui vì dịch bệnh.",
        ),
        (
            4,
            "SCT",
            "Khảo sát 92 doanh nghiệp; hoàn thành 02/03 báo cáo lĩnh vực; báo cáo tổng "
            "hợp đang hoàn thiện.",
        ),
        (6, "SCT", "Ban hành bộ tài liệu PSS; chưa lựa chọn được đơn vị thí điểm mô hình mẫu."),
        (
            7,
            "STNMT",
            "Trình 02 đề xuất cơ chế chính sách; tổ chức khu trưng bày tại Hội chợ Tây Hồ.",
        ),
        (10, "UBND-006", "Kiểm tra 12 chợ, siêu thị trên địa bàn quận Đống Đa."),
        (10, "SCT", "Tổ chức hội nghị sơ kết 6 tháng; kiểm tra tại Cầu Giấy, Hà Đông."),
    ],
}
COMPILED = {
    "2020-H1": {
        "number": "2154",
        "summary": "Sáu tháng đầu năm 2020, do ảnh hưởng của dịch Covid-19, phần lớn nhiệm vụ "
        "được bố trí thực hiện từ tháng 7; các đơn vị tập trung chuẩn bị kế hoạch, tài liệu.",
        "difficulties": "Dịch Covid-19 làm các hoạt động tập trung đông người phải tạm hoãn.\n"
        "Kinh phí năm 2020 giao chậm so với kế hoạch.",
        "proposals": "Đề nghị UBND Thành phố cho phép điều chỉnh thời gian tổ chức các hội chợ, "
        "hội thảo sang quý III, quý IV năm 2020.",
        "submitted": dt.datetime(2020, 7, 10, 9),
        "reviewed": dt.datetime(2020, 7, 14, 15),
        "status": Report.Status.APPROVED,
    },
    "2020": {
        "number": "58",
        "summary": "Năm 2020, các đơn vị đã triển khai 10/10 nhiệm vụ của Kế hoạch; nhiều sản "
        "phẩm vượt chỉ tiêu, một số sản phẩm chưa hoàn thành do dịch Covid-19.",
        "difficulties": "Mô hình PSS chưa tìm được doanh nghiệp thí điểm.\n"
        "Báo cáo tổng hợp khảo sát chưa hoàn thành đúng hạn.",
        "proposals": "Chuyển nhiệm vụ mô hình mẫu PSS sang Kế hoạch năm 2021.\n"
        "Bổ sung kinh phí tuyên truyền trên truyền hình.",
        "submitted": dt.datetime(2021, 1, 12, 9),
        "reviewed": None,
        "status": Report.Status.SUBMITTED,
    },
}


@transaction.atomic
def load(log: Callable[[str], None]) -> None:
    plan = Plan.objects.filter(code="96/KH-UBND").first()
    if plan is None:
        log("Báo cáo: chưa có Kế hoạch 96/KH-UBND, bỏ qua")
        return
    author = User.objects.filter(username="canbo.sct").first()
    reviewer = User.objects.filter(username="lanhdao.sct").first()
    tasks = {t.number: t for t in plan.tasks.all()}
    agencies = {a.code: a for a in Agency.objects.all()}
    duties = {"2020-H1": plan.reporting.get(code="6T"), "2020": plan.reporting.get(code="NAM")}
    for period, duty in duties.items():
        report = open_report(duty, period)
        for number, agency, text in SECTIONS[period]:
            ReportSection.objects.update_or_create(
                report=report,
                task=tasks[number],
                agency=agencies[agency],
                defaults={"text": text, "updated_by": author},
            )
        spec = COMPILED[period]
        submitted = timezone.make_aware(spec["submitted"])
        reviewed = timezone.make_aware(spec["reviewed"]) if spec["reviewed"] else None
        for field in ("number", "summary", "difficulties", "proposals"):
            setattr(report, field, spec[field])
        report.signer_name = "Lê Hồng Thăng"
        report.status = spec["status"]
        report.submitted_by, report.submitted_at = author, submitted
        report.reviewed_by, report.reviewed_at = (reviewer, reviewed) if reviewed else (None, None)
        report.snapshot = frozen_figures(report, submitted)
        report.save()
    log("Báo cáo: 2020-H1 (đã duyệt), 2020 (chờ duyệt)")
