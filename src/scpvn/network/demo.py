"""Demo data for the green business network, on Plan 96's deliverables (pre-selected here;
officers choose them in the forms). Idempotent: each block is skipped once it exists, and
enterprises are found by tax code."""

import datetime as dt
import random
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.utils import timezone
from faker import Faker
from stdnum.vn import mst

from scpvn.fairs import models as fm
from scpvn.fairs import services as fairs
from scpvn.geo.models import District
from scpvn.greenpoints import models as gm
from scpvn.greenpoints import services as greenpoints
from scpvn.orgs.models import Agency, User
from scpvn.outreach import models as om
from scpvn.outreach.services import events, media, pss
from scpvn.plans.models import Deliverable, Plan
from scpvn.registry.models import Enterprise
from scpvn.surveys import models as sm
from scpvn.surveys import services as survey

ORDER = 80
DEMO_PLAN = "96/KH-UBND"

# (sector, VSIC prefixes, VSIC codes to give demo enterprises, name stem)
SECTORS = [
    ("Cơ khí", ["25", "28"], ["2511", "2592", "2599", "2811", "2819"], "Cơ khí"),
    ("Điện, điện tử", ["26", "27"], ["2610", "2620", "2640", "2710", "2732"], "Điện tử"),
    (
        "Công nghiệp hỗ trợ công nghệ cao",
        ["2013", "2220", "2310"],
        ["2013", "2220", "2310"],
        "Vật liệu",
    ),
]
PER_SECTOR = 34
GREEN_FIELDS = {
    "Đồ nội thất": [
        "Sản phẩm gỗ có chứng chỉ nguồn gốc hợp pháp",
        "Vật liệu tái chế, tái sử dụng",
        "Trưng bày tiết kiệm năng lượng",
        "Thu hồi bao bì",
    ],
    "Thiết bị giáo dục": [
        "Sản phẩm an toàn cho trẻ em",
        "Vật liệu thân thiện môi trường",
        "Hướng dẫn sử dụng, bảo hành",
        "Thu hồi sản phẩm hết hạn sử dụng",
    ],
    "Thiết bị điện, điện tử": [
        "Nhãn năng lượng 4–5 sao",
        "Thu hồi thiết bị thải bỏ",
        "Tư vấn sử dụng tiết kiệm",
        "Không dùng túi nilon khó phân hủy",
    ],
    "Sản phẩm làng nghề": [
        "Nguyên liệu tự nhiên, địa phương",
        "Quy trình sản xuất sạch hơn",
        "Truy xuất nguồn gốc",
        "Bao bì thân thiện môi trường",
    ],
}
# retail VSIC for the shops holding green points, one per field
POINT_VSIC = {
    "Đồ nội thất": "4759",
    "Thiết bị giáo dục": "4761",
    "Thiết bị điện, điện tử": "4742",
    "Sản phẩm làng nghề": "4773",
}
QUESTIONS = [
    ("Mức độ áp dụng sản xuất sạch hơn", "scale"),
    ("Năng lực đáp ứng tiêu chuẩn của chuỗi cung ứng", "scale"),
    ("Mức độ sẵn sàng tham gia mạng lưới SX&TD bền vững", "scale"),
    ("Doanh nghiệp đã có chứng nhận ISO 14001?", "yesno"),
    ("Doanh nghiệp có kế hoạch đầu tư công nghệ tiết kiệm năng lượng?", "yesno"),
    ("Số lao động", "number"),
    ("Kiến nghị với cơ quan quản lý", "text"),
]


def load(log: Callable[[str], None]) -> None:
    plan = Plan.objects.filter(code=DEMO_PLAN).first()
    if plan is None:
        log("Mạng lưới: chưa có Kế hoạch 96, bỏ qua dữ liệu trình diễn")
        return
    ctx = Demo(plan, log)
    ctx.enterprises()
    ctx.fairs()
    ctx.green_points()
    ctx.pss()
    ctx.survey()
    ctx.events()
    ctx.media()


class Demo:
    def __init__(self, plan: Plan, log: Callable[[str], None]):
        self.plan, self.log = plan, log
        self.sct = Agency.objects.get(code="SCT")
        self.fake = Faker("vi_VN")
        self.fake.seed_instance(80)
        self.rng = random.Random(80)
        self.today = timezone.localdate()
        self.officer = User.objects.filter(username="canbo.sct").first()
        self.actor = self.officer or User.objects.filter(role="city_admin").first()
        self.districts = list(District.objects.filter(kind=District.Kind.QUAN).order_by("code"))

    def deliverable(self, code: str) -> Deliverable | None:
        return Deliverable.objects.filter(task__plan=self.plan, code=code).first()

    def _tax_codes(self, start: int):
        n = start
        while True:
            body = f"01{n:07d}"
            check = mst.calc_check_digit(body)
            n += 1
            if len(check) == 1:
                yield body + check

    def enterprises(self) -> None:
        """Registry enterprises the survey samples from and the shops that hold green points
        (created only if the registry lacks them)."""
        codes = self._tax_codes(8_000_000)
        created = 0
        for _sector, _prefixes, vsics, stem in SECTORS:
            for i in range(PER_SECTOR):
                created += self._enterprise(
                    next(codes),
                    f"Công ty TNHH {stem} {self.fake.last_name()} {i + 1:02d}",
                    vsics[i % len(vsics)],
                )
        for field_name, vsic in POINT_VSIC.items():
            created += self._enterprise(next(codes), f"Công ty CP {field_name} Xanh Hà Nội", vsic)
        member = User.objects.filter(username="doanhnghiep").first()
        if member is not None and not member.enterprises.exists():
            Enterprise.objects.get(name="Công ty CP Đồ nội thất Xanh Hà Nội").members.add(member)
        self.log(f"Mạng lưới: {created} doanh nghiệp mới cho khảo sát và điểm kinh doanh xanh")

    def _enterprise(self, tax_code: str, name: str, vsic: str) -> int:
        assert mst.is_valid(tax_code)
        _obj, created = Enterprise.objects.get_or_create(
            tax_code=tax_code,
            defaults={
                "name": name,
                "vsic_code": vsic,
                "district": self.rng.choice(self.districts),
                "address": self.fake.street_address(),
            },
        )
        return int(created)

    def fairs(self) -> None:
        if fm.Chain.objects.exists():
            return
        hoan_kiem = District.objects.get(code="002")
        chain1 = fm.Chain.objects.create(
            name="Chuỗi 1: Thực phẩm, đồ uống, dệt may, da giày",
            sectors="Sản xuất, chế biến thực phẩm; Bia – rượu – nước giải khát; Dệt may; Da giày",
            agency=self.sct,
            deliverable=self.deliverable("3.1"),
        )
        chain2 = fm.Chain.objects.create(
            name="Chuỗi 2: Mây tre đan, gỗ, gốm sứ",
            sectors="Mây tre đan; Chế biến gỗ và sản xuất sản phẩm từ gỗ; Gốm sứ",
            agency=self.sct,
            deliverable=self.deliverable("3.1"),
        )
        held = fm.FairEvent.objects.create(
            chain=chain1,
            name="Hội chợ kết nối sản xuất và tiêu dùng bền vững 2020",
            venue="Cung Văn hóa Hữu nghị Việt Xô",
            district=hoan_kiem,
            start_date=dt.date(2020, 10, 22),
            end_date=dt.date(2020, 10, 25),
            capacity=60,
            agency=self.sct,
            deliverable=self.deliverable("3.2"),
        )
        upcoming = fm.FairEvent.objects.create(
            chain=chain2,
            name="Phiên kết nối làng nghề thân thiện môi trường",
            venue="Trung tâm Triển lãm Giảng Võ",
            district=District.objects.get(code="001"),
            start_date=self.today + dt.timedelta(days=30),
            end_date=self.today + dt.timedelta(days=33),
            capacity=60,
            agency=self.sct,
            deliverable=self.deliverable("3.3"),
        )
        fairs.lay_out_booths(self.actor, held, ["Khu A – Thực phẩm", "Khu B – Dệt may, da giày"])
        fairs.lay_out_booths(self.actor, upcoming, ["Khu A – Mây tre đan", "Khu B – Gỗ, gốm sứ"])
        pool = list(Enterprise.objects.order_by("tax_code")[:64])
        for i, enterprise in enumerate(pool[:62]):
            app = fairs.apply_for_booth(
                user=self.actor,
                event=held,
                enterprise=enterprise,
                products=self.fake.sentence(nb_words=5),
            )
            app = fairs.review_application(self.actor, app, accept=True)
            if app.booth_id and i % 7:
                fairs.check_in(self.actor, app)
                fairs.report_sales(self.actor, app, self.rng.randrange(5, 120) * 1_000_000)
        fairs.close_fair(self.actor, held, visitors=12_450)
        for enterprise in pool[40:52]:
            app = fairs.apply_for_booth(
                user=self.actor,
                event=upcoming,
                enterprise=enterprise,
                products=self.fake.sentence(nb_words=4),
            )
            if enterprise.pk % 2:
                fairs.review_application(self.actor, app, accept=True)
        self.log("Mạng lưới: 2 chuỗi kết nối, 2 hội chợ (1 đã tổ chức)")

    def green_points(self) -> None:
        if gm.GreenField.objects.exists():
            return
        for field_name, criteria in GREEN_FIELDS.items():
            field = gm.GreenField.objects.create(name=field_name, pass_score=28, validity_months=24)
            for order, text in enumerate(criteria, start=1):
                gm.Criterion.objects.create(field=field, order=order, text=text, max_score=10)
            enterprise = Enterprise.objects.get(name=f"Công ty CP {field_name} Xanh Hà Nội")
            point = gm.GreenPoint.objects.create(
                enterprise=enterprise,
                field=field,
                name=f"Điểm kinh doanh xanh – {field_name}",
                address=self.fake.street_address(),
                district=enterprise.district,
                description=f"Cung cấp {field_name.lower()} thông minh, thân thiện môi trường",
                evidence=ContentFile(b"%PDF-1.4 demo", name="ho-so.pdf"),
                deliverable=self.deliverable("5.1"),
            )
            scores = {c.pk: self.rng.randint(7, 10) for c in field.criteria.all()}
            greenpoints.assess(self.actor, point, date=dt.date(2020, 10, 1), scores=scores)
            greenpoints.certify(self.actor, point, on=dt.date(2020, 10, 15))
            # renewed after the 2020 certificate expired, so the point is certified today
            renew_on = self.today - dt.timedelta(days=100)
            greenpoints.assess(self.actor, point, date=renew_on, scores=scores)
            greenpoints.certify(self.actor, point, on=renew_on)
        field = gm.GreenField.objects.get(name="Đồ nội thất")
        lapsed = gm.GreenPoint.objects.create(
            enterprise=Enterprise.objects.get(name="Công ty CP Thiết bị giáo dục Xanh Hà Nội"),
            field=field,
            name="Cửa hàng nội thất tre Bát Tràng",
            address="Xã Bát Tràng",
            district=District.objects.get(code="018"),
            evidence=ContentFile(b"%PDF-1.4 demo", name="ho-so.pdf"),
        )
        greenpoints.assess(
            self.actor,
            lapsed,
            date=dt.date(2020, 11, 1),
            scores={c.pk: 8 for c in field.criteria.all()},
        )
        greenpoints.certify(self.actor, lapsed, on=dt.date(2020, 11, 2))
        self.log("Mạng lưới: 4 lĩnh vực, 5 điểm kinh doanh xanh (1 chứng nhận hết hạn)")

    def pss(self) -> None:
        if om.PssPilot.objects.exists():
            return
        pss.publish_guidance(
            self.actor,
            om.GuidanceDocument(
                title="Bộ tài liệu hướng dẫn triển khai mô hình hệ thống sản xuất – dịch vụ (PSS)",
                summary="Khái niệm PSS, các bước thiết kế, đánh giá hiệu quả, ví dụ điển hình",
                file=ContentFile(b"%PDF-1.4 demo", name="huong-dan-pss.pdf"),
                published=dt.date(2020, 9, 15),
                agency=self.sct,
                deliverable=self.deliverable("6.1"),
            ),
        )
        workshop = self._event(
            "workshop",
            "Hội thảo hướng dẫn kỹ thuật mô hình PSS",
            dt.date(2020, 11, 20),
            "6.3",
            held=True,
        )
        pilot = om.PssPilot.objects.create(
            name="Cho thuê thiết bị chiếu sáng LED kèm dịch vụ bảo trì",
            host=Enterprise.objects.get(name="Công ty CP Thiết bị điện, điện tử Xanh Hà Nội"),
            partners="Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Hà Nội; Viện Môi trường",
            design="Doanh nghiệp giữ quyền sở hữu đèn, khách hàng trả phí theo giờ chiếu sáng; "
            "doanh nghiệp bảo trì, thu hồi và tái chế đèn hết tuổi thọ.",
            started=dt.date(2020, 8, 1),
            workshop=workshop,
            agency=self.sct,
            deliverable=self.deliverable("6.2"),
        )
        pss.complete_pilot(
            self.actor,
            pilot,
            results="Giảm 38% điện năng chiếu sáng; 100% đèn hỏng được thu hồi.",
            on=dt.date(2020, 12, 10),
        )
        self.log("Mạng lưới: tài liệu PSS, mô hình thí điểm và hội thảo")

    def survey(self) -> None:
        if sm.Survey.objects.exists():
            return
        s = sm.Survey.objects.create(
            title="Khảo sát cơ hội cạnh tranh, tham gia chuỗi SX&TD bền vững 2020",
            year=2020,
            seed=96,
            agency=self.sct,
            deliverable=self.deliverable("4.1"),
            summary_deliverable=self.deliverable("4.3"),
        )
        for name, prefixes, _vsics, _stem in SECTORS:
            sm.SurveySector.objects.create(
                survey=s,
                name=name,
                vsic_prefixes=prefixes,
                sample_size=30,
                report_deliverable=self.deliverable("4.2"),
            )
        for order, (text, kind) in enumerate(QUESTIONS, start=1):
            sm.Question.objects.create(survey=s, order=order, text=text, kind=kind)
        survey.draw_sample(self.actor, s)
        questions = list(s.questions.all())
        for response in s.responses.order_by("pk"):
            if self.rng.random() < 0.08:
                continue  # not answered yet
            raw = {}
            for q in questions:
                raw[str(q.pk)] = {
                    "scale": lambda: str(self.rng.randint(2, 5)),
                    "yesno": lambda: self.rng.choice(["yes", "no"]),
                    "number": lambda: str(self.rng.randint(20, 800)),
                    "text": lambda: self.rng.choice(
                        ["", "Hỗ trợ vốn đổi mới công nghệ", "Kết nối với doanh nghiệp FDI"]
                    ),
                }[q.kind]()
            answered = timezone.make_aware(
                dt.datetime(2020, 10, 1, 9) + dt.timedelta(hours=self.rng.randint(0, 24 * 45))
            )
            survey.record_answers(self.actor, response, raw, at=answered)
        survey.generate_reports(self.actor, s, on=dt.date(2020, 11, 30))
        for title in ("cơ khí", "điện, điện tử", "công nghiệp hỗ trợ công nghệ cao"):
            self._event(
                "workshop",
                f"Hội thảo kết quả khảo sát lĩnh vực {title}",
                dt.date(2020, 12, 8),
                "4.4",
                held=True,
            )
        self.log("Mạng lưới: khảo sát 90 doanh nghiệp, 4 báo cáo, 3 hội thảo")

    def _event(self, kind: str, title: str, date: dt.date, code: str, *, held: bool) -> om.Event:
        event = om.Event.objects.create(
            kind=kind,
            title=title,
            date=date,
            venue="Hội trường Sở Công Thương, 331 Trần Khát Chân",
            district=District.objects.get(code="007"),
            capacity=120,
            agency=self.sct,
            deliverable=self.deliverable(code),
            audience="Doanh nghiệp, cán bộ quản lý",
        )
        for _ in range(self.rng.randint(25, 45)):
            events.register(
                self.actor,
                event,
                full_name=self.fake.name(),
                email=self.fake.unique.email(),
                organization=self.fake.company(),
            )
        if held:
            event.registrations.filter(
                pk__in=[r.pk for r in event.registrations.all() if self.rng.random() < 0.85]
            ).update(attended=True)
            events.mark_held(self.actor, event)
            for _ in range(self.rng.randint(8, 15)):
                events.give_feedback(
                    self.actor, event, rating=self.rng.randint(3, 5), useful="Nội dung thực tế"
                )
        return event

    def events(self) -> None:
        if om.Event.objects.filter(kind=om.Event.Kind.TRAINING).exists():
            return
        for i, date in enumerate(
            [dt.date(2020, 8, 12), dt.date(2020, 9, 9), dt.date(2020, 10, 14)], 1
        ):
            self._event(
                "training",
                f"Lớp tập huấn SX&TD bền vững cho cán bộ quản lý – đợt {i}",
                date,
                "2.1",
                held=True,
            )
        self._event(
            "training",
            "Lớp tập huấn SX&TD bền vững – đợt 4",
            self.today + dt.timedelta(days=20),
            "2.1",
            held=False,
        )
        self._event(
            "training",
            "Tập huấn tác hại của rác thải nhựa cho doanh nghiệp phân phối",
            dt.date(2020, 9, 24),
            "9.1",
            held=True,
        )
        for title in (
            "Hội thảo phổ biến mô hình điểm kinh doanh xanh",
            "Hội thảo hướng dẫn doanh nghiệp thực hiện mô hình kinh doanh xanh",
        ):
            self._event("workshop", title, dt.date(2020, 11, 5), "5.2", held=True)
        self._event(
            "conference",
            "Hội nghị sơ kết 06 tháng công tác chống rác thải nhựa",
            dt.date(2020, 7, 30),
            "10.3",
            held=True,
        )
        self._event(
            "conference",
            "Hội nghị tổng kết công tác chống rác thải nhựa năm 2020",
            dt.date(2020, 12, 28),
            "10.4",
            held=False,
        )
        self.log("Mạng lưới: tập huấn, hội thảo, hội nghị")

    def media(self) -> None:
        if om.MediaItem.objects.exists():
            return
        outlets = ["Báo Hà Nội mới", "Báo Kinh tế & Đô thị", "Báo Công Thương", "Báo Tin tức"]
        items = [
            ("article", "1.1", f"Hà Nội thúc đẩy sản xuất và tiêu dùng bền vững – kỳ {i}", None)
            for i in range(1, 13)
        ]
        items += [
            ("tv", "1.3", f"Phóng sự: Tiêu dùng xanh ở Thủ đô – số {i}", None) for i in range(1, 4)
        ]
        items += [
            ("clip", "1.2", "Clip: Chọn sản phẩm thân thiện môi trường", None),
            ("handbook", "1.4", "Cẩm nang sản xuất và tiêu dùng bền vững", 5000),
            ("clip", "8.1", "Clip: Nói không với túi nilon khó phân hủy", None),
            ("article", "8.2", "Chung tay chống rác thải nhựa tại chợ dân sinh", None),
            ("flyer", "8.3", "Tờ rơi: Tác hại của rác thải nhựa", 30000),
            ("poster", "8.4", "Áp phích: Hành động chống rác thải nhựa", 12000),
        ]
        for i, (kind, code, title, copies) in enumerate(items):
            media.save_media_item(
                self.actor,
                om.MediaItem(
                    kind=kind,
                    title=title,
                    outlet=outlets[i % len(outlets)] if kind != "tv" else "Đài PT-TH Hà Nội",
                    date=dt.date(2020, 7, 1) + dt.timedelta(days=7 * i),
                    link=f"https://example.vn/scp/{i + 1}" if copies is None else "",
                    file=ContentFile(b"%PDF-1.4 demo", name=f"{kind}.pdf") if copies else None,
                    print_quantity=copies,
                    agency=self.sct,
                    deliverable=self.deliverable(code),
                ),
            )
        self.log(f"Mạng lưới: {len(items)} sản phẩm truyền thông")
