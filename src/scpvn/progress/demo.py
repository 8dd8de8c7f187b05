"""A year of Plan 96 as it could have been recorded: activities for every task by the
departments and districts, with evidence, most approved, some still waiting, some returned,
and some tasks left behind — so the dashboard, the drill-down and both reports (2020-H1 and
2020) show something true. Idempotent: activities are keyed by task and title."""

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from faker import Faker

from scpvn.geo.services import district_index, find_district
from scpvn.orgs.models import Agency, User
from scpvn.plans.models import Deliverable, Plan
from scpvn.progress.models import Activity, Evidence

ORDER = 60
A, S, R, D = "approved", "submitted", "returned", "draft"

# deliverable, date, quantity, agency, district, title, status, reviewer comment
RECORDS: list[tuple[str, str, int, str, str, str, str, str]] = [
    # 1 — tuyên truyền: articles start in June, before the task's window (a warning, allowed)
    (
        "1.1",
        "2020-06-18",
        3,
        "SCT",
        "",
        "Loạt bài “Tiêu dùng xanh trong mùa dịch” trên báo Kinh tế & Đô thị",
        A,
        "",
    ),
    (
        "1.1",
        "2020-07-15",
        6,
        "SCT",
        "",
        "6 bài viết về sản xuất sạch hơn trên báo Hà Nội Mới",
        A,
        "",
    ),
    (
        "1.1",
        "2020-08-20",
        8,
        "STNMT",
        "",
        "8 bài viết về chống rác thải nhựa trên báo Tài nguyên & Môi trường",
        A,
        "",
    ),
    (
        "1.1",
        "2020-09-22",
        8,
        "SCT",
        "",
        "8 bài viết trên báo Công Thương và cổng thông tin Sở",
        A,
        "",
    ),
    (
        "1.1",
        "2020-10-20",
        7,
        "STTTT",
        "",
        "7 bài viết trên cổng thông tin điện tử Thành phố",
        A,
        "",
    ),
    ("1.2", "2020-08-12", 1, "SCT", "Hai Bà Trưng", "Phát clip tại Vincom Center Bà Triệu", A, ""),
    (
        "1.2",
        "2020-09-25",
        1,
        "SCT",
        "Long Biên",
        "Phát clip trên màn hình LED tại AEON Mall Long Biên",
        A,
        "",
    ),
    (
        "1.3",
        "2020-07-28",
        2,
        "DPTTH",
        "",
        "2 phóng sự trên kênh H1: chuỗi cung ứng thực phẩm an toàn",
        A,
        "",
    ),
    ("1.3", "2020-09-10", 2, "DPTTH", "", "2 phóng sự “Doanh nghiệp xanh Thủ đô”", A, ""),
    ("1.3", "2020-10-15", 1, "DPTTH", "", "Phóng sự về túi ni lông tại chợ truyền thống", A, ""),
    (
        "1.3",
        "2020-10-29",
        1,
        "DPTTH",
        "",
        "Phóng sự tổng kết chương trình tuyên truyền",
        R,
        "Thiếu đường dẫn phát lại trên VOD; đề nghị bổ sung.",
    ),
    ("1.4", "2020-09-30", 5000, "SCT", "", "Phát hành 5.000 cuốn cẩm nang SX&TD bền vững", A, ""),
    # 2 — tập huấn: five classes across districts, one returned then redone
    (
        "2.1",
        "2020-07-24",
        1,
        "SCT",
        "Đống Đa",
        "Lớp tập huấn tại Đống Đa cho cán bộ quản lý",
        A,
        "",
    ),
    (
        "2.1",
        "2020-08-14",
        1,
        "UBND-006",
        "Đống Đa",
        "Lớp tập huấn cho doanh nghiệp quận Đống Đa",
        A,
        "",
    ),
    ("2.1", "2020-09-11", 1, "SCT", "Hoàng Mai", "Lớp tập huấn tại KCN Hoàng Mai", A, ""),
    (
        "2.1",
        "2020-10-09",
        1,
        "SCT",
        "Đông Anh",
        "Lớp tập huấn tại KCN Thăng Long",
        R,
        "Danh sách học viên chưa có chữ ký; đề nghị tải lại biên bản.",
    ),
    (
        "2.1",
        "2020-10-16",
        1,
        "SCT",
        "Đông Anh",
        "Lớp tập huấn tại KCN Thăng Long (bổ sung biên bản)",
        A,
        "",
    ),
    (
        "2.1",
        "2020-11-13",
        1,
        "SCT",
        "Thanh Trì",
        "Lớp tập huấn cho cán bộ kỹ thuật doanh nghiệp Thanh Trì",
        A,
        "",
    ),
    # 3 — chuỗi kết nối: chain 1 a little short of its booths
    (
        "3.1",
        "2020-08-27",
        1,
        "SCT",
        "Ba Đình",
        "Ra mắt chuỗi 1: thực phẩm, bia – rượu – nước giải khát",
        A,
        "",
    ),
    ("3.1", "2020-11-05", 1, "SCT", "Gia Lâm", "Ra mắt chuỗi 2: mây tre đan, chế biến gỗ", A, ""),
    (
        "3.2",
        "2020-09-18",
        58,
        "SCT",
        "Ba Đình",
        "58 gian hàng chuỗi 1 tại Cung Văn hóa Hữu nghị",
        A,
        "",
    ),
    (
        "3.3",
        "2020-11-20",
        62,
        "SCT",
        "Gia Lâm",
        "62 gian hàng chuỗi 2 tại làng nghề Bát Tràng",
        A,
        "",
    ),
    # 4 — khảo sát: survey begun in June; the synthesis report still in draft at year end
    ("4.1", "2020-06-25", 12, "SCT", "", "Khảo sát thí điểm 12 doanh nghiệp cơ khí", A, ""),
    (
        "4.1",
        "2020-08-21",
        30,
        "BQLKCN",
        "",
        "Khảo sát 30 doanh nghiệp điện – điện tử tại các KCN",
        A,
        "",
    ),
    (
        "4.1",
        "2020-09-25",
        30,
        "SCT",
        "",
        "Khảo sát 30 doanh nghiệp công nghiệp hỗ trợ công nghệ cao",
        A,
        "",
    ),
    ("4.1", "2020-10-23", 20, "SCT", "", "Khảo sát bổ sung 20 doanh nghiệp cơ khí", A, ""),
    (
        "4.2",
        "2020-11-16",
        2,
        "SCT",
        "",
        "Báo cáo khảo sát lĩnh vực cơ khí và điện – điện tử",
        A,
        "",
    ),
    ("4.2", "2020-12-21", 1, "SCT", "", "Báo cáo khảo sát công nghiệp hỗ trợ công nghệ cao", S, ""),
    (
        "4.3",
        "2020-12-28",
        1,
        "SCT",
        "",
        "Dự thảo báo cáo tổng hợp cơ hội tham gia chuỗi toàn cầu",
        D,
        "",
    ),
    ("4.4", "2020-12-03", 1, "SCT", "", "Hội thảo kết quả khảo sát lĩnh vực cơ khí", A, ""),
    ("4.4", "2020-12-17", 1, "SCT", "", "Hội thảo kết quả khảo sát lĩnh vực điện – điện tử", A, ""),
    # 5 — điểm kinh doanh xanh
    (
        "5.1",
        "2020-08-28",
        1,
        "SCT",
        "Cầu Giấy",
        "Điểm kinh doanh xanh: thiết bị giáo dục tại Cầu Giấy",
        A,
        "",
    ),
    (
        "5.1",
        "2020-09-29",
        1,
        "SCT",
        "Hoàn Kiếm",
        "Điểm kinh doanh xanh: sản phẩm làng nghề tại phố Hàng Gai",
        A,
        "",
    ),
    (
        "5.1",
        "2020-10-27",
        1,
        "UBND-006",
        "Đống Đa",
        "Điểm kinh doanh xanh: thiết bị nội thất tại Đống Đa",
        A,
        "",
    ),
    (
        "5.1",
        "2020-11-24",
        1,
        "SCT",
        "Thanh Xuân",
        "Điểm kinh doanh xanh: điện máy tại Thanh Xuân",
        A,
        "",
    ),
    ("5.2", "2020-10-30", 1, "SCT", "", "Hội thảo nhân rộng mô hình kinh doanh xanh", A, ""),
    ("5.2", "2020-12-11", 1, "SCT", "", "Hội thảo chuỗi cung ứng bền vững trong phân phối", A, ""),
    # 6 — PSS: the pilot model did not happen in 2020
    ("6.1", "2020-09-15", 1, "SCT", "", "Bộ tài liệu hướng dẫn mô hình PSS", A, ""),
    ("6.3", "2020-12-15", 1, "SCT", "", "Hội thảo hướng dẫn doanh nghiệp áp dụng PSS", A, ""),
    # 7 — Sở TN&MT: policy milestones, one booth event
    (
        "7.1",
        "2020-06-12",
        0,
        "STNMT",
        "",
        "Dự thảo Kế hoạch hạn chế sản phẩm nhựa dùng một lần trình UBND TP",
        A,
        "",
    ),
    (
        "7.1",
        "2020-09-08",
        0,
        "STNMT",
        "",
        "Tờ trình cơ chế khuyến khích thu gom, tái chế chất thải nhựa",
        A,
        "",
    ),
    (
        "7.2",
        "2020-10-18",
        0,
        "STNMT",
        "Tây Hồ",
        "Khu trưng bày sản phẩm thay thế túi ni lông tại Hội chợ Tây Hồ",
        A,
        "",
    ),
    # 8 — chống rác thải nhựa
    (
        "8.1",
        "2020-07-30",
        2,
        "SCT",
        "",
        "2 clip về tác hại túi ni lông trình chiếu tại siêu thị",
        A,
        "",
    ),
    ("8.1", "2020-09-17", 2, "DPTTH", "", "2 clip phát trên kênh H1 và màn hình tại chợ", A, ""),
    ("8.2", "2020-08-06", 2, "SCT", "", "2 bài về chống rác thải nhựa trong phân phối", A, ""),
    (
        "8.2",
        "2020-10-08",
        1,
        "STTTT",
        "",
        "Bài viết về sản xuất công nghiệp không rác thải nhựa",
        A,
        "",
    ),
    (
        "8.2",
        "2020-11-19",
        1,
        "SCT",
        "",
        "Bài viết về siêu thị không túi ni lông",
        R,
        "Bài chưa đăng chính thức; chỉ có bản thảo.",
    ),
    ("8.3", "2020-07-20", 12000, "SCT", "", "In và phát 12.000 tờ rơi tại chợ và siêu thị", A, ""),
    ("8.3", "2020-09-14", 18000, "SCT", "", "In và phát 18.000 tờ rơi tại các khu dân cư", A, ""),
    (
        "8.4",
        "2020-08-24",
        12000,
        "SCT",
        "",
        "In và dán 12.000 poster tại chợ, TTTM, siêu thị",
        A,
        "",
    ),
    # 9 — tập huấn rác thải nhựa
    (
        "9.1",
        "2020-08-19",
        1,
        "SCT",
        "Hà Đông",
        "Tập huấn doanh nghiệp phân phối tại Hà Đông",
        A,
        "",
    ),
    (
        "9.1",
        "2020-10-21",
        1,
        "SCT",
        "Long Biên",
        "Tập huấn doanh nghiệp sản xuất tại Long Biên",
        A,
        "",
    ),
    # 10 — kiểm tra, hội nghị
    (
        "10.1",
        "2020-08-25",
        0,
        "UBND-006",
        "Đống Đa",
        "Kiểm tra túi ni lông tại chợ Xanh và siêu thị trên địa bàn Đống Đa",
        A,
        "",
    ),
    (
        "10.1",
        "2020-10-14",
        0,
        "SCT",
        "Cầu Giấy",
        "Kiểm tra chống rác thải nhựa tại TTTM Cầu Giấy",
        A,
        "",
    ),
    (
        "10.1",
        "2020-12-09",
        0,
        "SCT",
        "Hà Đông",
        "Kiểm tra cơ sở sản xuất bao bì tại Hà Đông",
        S,
        "",
    ),
    (
        "10.2",
        "2020-12-22",
        0,
        "SCT",
        "",
        "Báo cáo kết quả kiểm tra chống rác thải nhựa năm 2020",
        A,
        "",
    ),
    ("10.3", "2020-07-10", 1, "SCT", "", "Hội nghị sơ kết 6 tháng chống rác thải nhựa", A, ""),
    ("10.4", "2020-12-29", 1, "SCT", "", "Hội nghị tổng kết năm chống rác thải nhựa", S, ""),
]

AUTHORS = {"SCT": "canbo.sct", "STNMT": "canbo.tnmt", "UBND-006": "canbo.dongda"}
OUTLETS = ["hanoimoi.vn", "kinhtedothi.vn", "congthuong.vn", "hanoitv.vn", "tainguyenmoitruong.vn"]


def _pdf(title: str) -> bytes:
    """A one-page PDF standing in for the scanned minutes of the activity."""
    text = title.encode("ascii", "replace").decode()[:60]
    stream = f"BT /F1 14 Tf 60 760 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )


def _minutes(activity: Activity, name: str, author: User | None) -> None:
    """Attaches the activity's minutes, reusing the file a previous load stored."""
    path = f"evidence/demo/{name}"
    if not default_storage.exists(path):
        content = _pdf(name.removesuffix(".pdf"))
        default_storage.save(path, ContentFile(content))
    Evidence.objects.create(
        activity=activity,
        file=path,
        kind="pdf",
        size=default_storage.size(path),
        name=name,
        added_by=author,
    )


def _moment(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@transaction.atomic
def load(log: Callable[[str], None]) -> None:
    plan = Plan.objects.filter(code="96/KH-UBND").first()
    if plan is None:
        log("Hoạt động: chưa có Kế hoạch 96/KH-UBND, bỏ qua")
        return
    rng = random.Random(96)
    fake = Faker("vi_VN")
    fake.seed_instance(96)
    deliverables = {
        d.code: d for d in Deliverable.objects.filter(task__plan=plan).select_related("task")
    }
    agencies = {a.code: a for a in Agency.objects.all()}
    users = {
        u.username: u for u in User.objects.filter(username__in=[*AUTHORS.values(), "lanhdao.sct"])
    }
    reviewer = users.get("lanhdao.sct")
    index = district_index()
    created = 0
    for code, day_text, quantity, agency_code, district_name, title, status, comment in RECORDS:
        deliverable = deliverables[code]
        day = dt.date.fromisoformat(day_text)
        author = users.get(AUTHORS.get(agency_code, "canbo.sct"))
        submitted = day + dt.timedelta(days=rng.randint(1, 4))
        reviewed = submitted + dt.timedelta(days=rng.randint(1, 6))
        defaults = {
            "deliverable": deliverable,
            "agency": agencies[agency_code],
            "district": find_district(district_name, index) if district_name else None,
            "date": day,
            "quantity": Decimal(quantity),
            "description": f"Người phụ trách: {fake.name()}. {deliverable.name[:120]}.",
            "status": status,
            "created_by": author,
            "submitted_by": author if status != D else None,
            "submitted_at": _moment(submitted, 9) if status != D else None,
            "reviewed_by": reviewer if status in (A, R) else None,
            "reviewed_at": _moment(reviewed, 15) if status in (A, R) else None,
            "approved_at": _moment(reviewed, 15) if status == A else None,
            "review_comment": comment,
        }
        activity, was_created = Activity.objects.update_or_create(
            task=deliverable.task, title=title, source_id=None, defaults=defaults
        )
        created += was_created
        if not activity.evidence.exists():
            Evidence.objects.create(
                activity=activity,
                url=f"https://{rng.choice(OUTLETS)}/scp-2020/{activity.pk}",
                name=f"Bài đăng / tin: {title[:80]}",
                added_by=author,
            )
            if status != R:
                _minutes(activity, f"bien-ban-{code}-{day:%Y%m%d}.pdf", author)
    log(f"Hoạt động: {len(RECORDS)} ({created} tạo mới), có minh chứng")
