"""Demo data for the green business network: the records are data (`demo_data/network.yaml`);
this loader checks what the file names (deliverables, districts), then creates the records
through the services, so the demo counts toward the plan exactly as officers' work does.
Idempotent: each block is skipped once it exists, and enterprises are found by tax code.
The names, answers and attendance that only need to look real come from seeded generators."""

import datetime as dt
import random
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from faker import Faker
from stdnum.vn import mst

from scpvn.assessments.models import Question, Questionnaire
from scpvn.assessments.services import submit_response
from scpvn.core import clock
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
DATA_FILE = Path(__file__).parent / "demo_data" / "network.yaml"
RELATIVE_DAY = re.compile(r"^today([+-]\d+)$")


def read_data(path: Path = DATA_FILE) -> dict[str, Any]:
    with path.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def load(log: Callable[[str], None], path: Path = DATA_FILE) -> None:
    data = read_data(path)
    plan = Plan.objects.filter(code=data["plan"]).first()
    if plan is None:
        log(f"Mạng lưới: chưa có Kế hoạch {data['plan']}, bỏ qua dữ liệu trình diễn")
        return
    ctx = Demo(plan, data, log)
    ctx.check(path)
    ctx.enterprises()
    ctx.fairs()
    ctx.green_points()
    ctx.pss()
    ctx.survey()
    ctx.events()
    ctx.media()


def _walk(node: Any, key: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _walk(v, f"{key}.{k}" if key else str(k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk(v, f"{key}[{i}]")
    else:
        yield key, node


class Demo:
    def __init__(self, plan: Plan, data: dict[str, Any], log: Callable[[str], None]):
        self.plan, self.data, self.log = plan, data, log
        self.agency = Agency.objects.get(code=data["agency"])
        self.fake = Faker("vi_VN")
        self.fake.seed_instance(80)
        self.rng = random.Random(80)
        self.today = clock.today()
        officer = User.objects.filter(username=data["officer"]).first()
        self.actor = officer or User.objects.filter(role="city_admin").first()
        self.districts = list(District.objects.filter(kind=District.Kind.QUAN).order_by("code"))

    def check(self, path: Path) -> None:
        """Every deliverable and district the file names exists, before anything is written,
        so a wrong code is a `file: key: reason` error and not a half-loaded demo."""
        errors = []
        codes = set(Deliverable.objects.filter(task__plan=self.plan).values_list("code", flat=True))
        districts = set(District.objects.values_list("code", flat=True))
        questionnaires = set(
            Questionnaire.objects.filter(is_active=True).values_list("code", flat=True)
        )
        for key, value in _walk(self.data):
            leaf = re.sub(r"\[\d+\]$", "", key).rsplit(".", 1)[-1]
            if leaf.endswith("deliverable") and str(value) not in codes:
                errors.append(f"{path.name}: {key}: no deliverable {value} in {self.plan.code}")
            if leaf == "district" and str(value) not in districts:
                errors.append(f"{path.name}: {key}: no district {value}")
            if leaf == "questionnaire" and str(value) not in questionnaires:
                errors.append(f"{path.name}: {key}: no questionnaire {value}")
        if errors:
            raise ValidationError(errors)

    def day(self, value: dt.date | str) -> dt.date:
        """A date of the file: ISO, or `today±N` for records that must stay current."""
        if isinstance(value, dt.date):
            return value
        match = RELATIVE_DAY.match(value)
        if match is None:
            raise ValidationError(f"{DATA_FILE.name}: date {value!r} is neither ISO nor today±N")
        return self.today + dt.timedelta(days=int(match.group(1)))

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
        codes = self._tax_codes(self.data["tax_code_start"])
        created = 0
        for sector in self.data["sectors"]:
            vsics = sector["vsic"]
            for i in range(self.data["enterprises_per_sector"]):
                created += self._enterprise(
                    next(codes),
                    f"Công ty TNHH {sector['stem']} {self.fake.last_name()} {i + 1:02d}",
                    vsics[i % len(vsics)],
                )
        fields = self.data["green_fields"]["fields"]
        for field in fields:
            created += self._enterprise(
                next(codes), self._shop_name(field["name"]), str(field["vsic"])
            )
        member = User.objects.filter(username=self.data["enterprise_member"]).first()
        if member is not None and not member.enterprises.exists():
            Enterprise.objects.get(name=self._shop_name(fields[0]["name"])).members.add(member)
        self.log(f"Mạng lưới: {created} doanh nghiệp mới cho khảo sát và điểm kinh doanh xanh")

    @staticmethod
    def _shop_name(field_name: str) -> str:
        return f"Công ty CP {field_name} Xanh Hà Nội"

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

    def _fair(self, spec: dict, chains: list[fm.Chain]) -> fm.FairEvent:
        return fm.FairEvent.objects.create(
            chain=chains[spec["chain"] - 1],
            name=spec["name"],
            venue=spec["venue"],
            district=District.objects.get(code=spec["district"]),
            start_date=self.day(spec["start_date"]),
            end_date=self.day(spec["end_date"]),
            capacity=spec["capacity"],
            agency=self.agency,
            deliverable=self.deliverable(spec["deliverable"]),
        )

    def fairs(self) -> None:
        if fm.Chain.objects.exists():
            return
        chains = [
            fm.Chain.objects.create(
                name=c["name"],
                sectors=c["sectors"],
                agency=self.agency,
                deliverable=self.deliverable(c["deliverable"]),
            )
            for c in self.data["chains"]
        ]
        spec_held, spec_upcoming = self.data["fairs"]["held"], self.data["fairs"]["upcoming"]
        held, upcoming = self._fair(spec_held, chains), self._fair(spec_upcoming, chains)
        fairs.lay_out_booths(self.actor, held, spec_held["zones"])
        fairs.lay_out_booths(self.actor, upcoming, spec_upcoming["zones"])
        pool = list(Enterprise.objects.order_by("tax_code")[:64])
        for i, enterprise in enumerate(pool[: spec_held["applicants"]]):
            app = fairs.apply_for_booth(
                self.actor,
                event=held,
                enterprise=enterprise,
                products=self.fake.sentence(nb_words=5),
            )
            app = fairs.review_application(self.actor, app, accept=True)
            if app.booth_id and i % 7:
                fairs.check_in(self.actor, app)
                fairs.report_sales(self.actor, app, self.rng.randrange(5, 120) * 1_000_000)
        fairs.close_fair(self.actor, held, visitors=spec_held["visitors"])
        for enterprise in pool[spec_upcoming["applicants_from"] : spec_upcoming["applicants_to"]]:
            app = fairs.apply_for_booth(
                self.actor,
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
        spec = self.data["green_fields"]
        for f in spec["fields"]:
            field = gm.GreenField.objects.create(
                name=f["name"],
                pass_score=spec["pass_score"],
                validity_months=spec["validity_months"],
            )
            for order, text in enumerate(f["criteria"], start=1):
                gm.Criterion.objects.create(field=field, order=order, text=text, max_score=10)
            enterprise = Enterprise.objects.get(name=self._shop_name(f["name"]))
            point = gm.GreenPoint.objects.create(
                enterprise=enterprise,
                field=field,
                name=f"Điểm kinh doanh xanh – {f['name']}",
                address=self.fake.street_address(),
                district=enterprise.district,
                description=f"Cung cấp {f['name'].lower()} thông minh, thân thiện môi trường",
                evidence=ContentFile(b"%PDF-1.4 demo", name="ho-so.pdf"),
                deliverable=self.deliverable(spec["deliverable"]),
            )
            scores = {c.pk: self.rng.randint(7, 10) for c in field.criteria.all()}
            greenpoints.assess(self.actor, point, date=self.day(spec["assessed"]), scores=scores)
            greenpoints.certify(self.actor, point, on=self.day(spec["certified"]))
            renew_on = self.day(spec["renewed"])
            greenpoints.assess(self.actor, point, date=renew_on, scores=scores)
            greenpoints.certify(self.actor, point, on=renew_on)
        lapsed_spec = spec["lapsed"]
        field = gm.GreenField.objects.get(name=lapsed_spec["field"])
        lapsed = gm.GreenPoint.objects.create(
            enterprise=Enterprise.objects.get(name=lapsed_spec["enterprise"]),
            field=field,
            name=lapsed_spec["name"],
            address=lapsed_spec["address"],
            district=District.objects.get(code=lapsed_spec["district"]),
            evidence=ContentFile(b"%PDF-1.4 demo", name="ho-so.pdf"),
        )
        greenpoints.assess(
            self.actor,
            lapsed,
            date=self.day(lapsed_spec["assessed"]),
            scores={c.pk: lapsed_spec["score"] for c in field.criteria.all()},
        )
        greenpoints.certify(self.actor, lapsed, on=self.day(lapsed_spec["certified"]))
        self.log("Mạng lưới: 4 lĩnh vực, 5 điểm kinh doanh xanh (1 chứng nhận hết hạn)")

    def pss(self) -> None:
        if om.PssPilot.objects.exists():
            return
        spec = self.data["pss"]
        guidance = spec["guidance"]
        pss.publish_guidance(
            self.actor,
            om.GuidanceDocument(
                title=guidance["title"],
                summary=guidance["summary"],
                file=ContentFile(b"%PDF-1.4 demo", name=guidance["file"]),
                published=self.day(guidance["published"]),
                agency=self.agency,
                deliverable=self.deliverable(guidance["deliverable"]),
            ),
        )
        workshop = spec["workshop"]
        workshop = self._event(
            "workshop",
            workshop["title"],
            self.day(workshop["date"]),
            workshop["deliverable"],
            held=True,
        )
        pilot_spec = spec["pilot"]
        pilot = om.PssPilot.objects.create(
            name=pilot_spec["name"],
            host=Enterprise.objects.get(name=pilot_spec["host"]),
            partners=pilot_spec["partners"],
            design=pilot_spec["design"],
            started=self.day(pilot_spec["started"]),
            workshop=workshop,
            agency=self.agency,
            deliverable=self.deliverable(pilot_spec["deliverable"]),
        )
        pss.complete_pilot(
            self.actor,
            pilot,
            results=pilot_spec["results"],
            on=self.day(pilot_spec["completed"]),
        )
        self.log("Mạng lưới: tài liệu PSS, mô hình thí điểm và hội thảo")

    def survey(self) -> None:
        """The survey runs on its questionnaire of the assessments engine: the sample gets
        assignments, and the officer enters the answers through the engine, as on the page."""
        if sm.Survey.objects.exists():
            return
        spec = self.data["survey"]
        questionnaire = Questionnaire.objects.get(code=spec["questionnaire"], is_active=True)
        s = sm.Survey.objects.create(
            title=spec["title"],
            year=spec["year"],
            seed=spec["seed"],
            agency=self.agency,
            questionnaire=questionnaire,
            deliverable=self.deliverable(spec["deliverable"]),
            summary_deliverable=self.deliverable(spec["summary_deliverable"]),
        )
        for sector in self.data["sectors"]:
            sm.SurveySector.objects.create(
                survey=s,
                name=sector["name"],
                vsic_prefixes=sector["prefixes"],
                sample_size=spec["sample_size"],
                report_deliverable=self.deliverable(spec["sector_report_deliverable"]),
            )
        survey.draw_sample(self.actor, s)
        questions = list(questionnaire.questions.all())
        start = self.day(spec["answers_from"])
        for sample in s.responses.select_related("enterprise", "assignment").order_by("pk"):
            if self.rng.random() < spec["unanswered_share"]:
                continue  # not answered yet
            submit_response(
                questionnaire=questionnaire,
                subject=sample.enterprise,
                date=start + dt.timedelta(days=self.rng.randint(0, spec["answers_over_days"])),
                values={q.code: self._answer(q, spec["suggestions"]) for q in questions},
                user=self.actor,
                assignment=sample.assignment,
            )
        survey.generate_reports(self.actor, s, on=self.day(spec["reports_on"]))
        workshops = spec["results_workshops"]
        for title in workshops["titles"]:
            self._event(
                "workshop",
                f"Hội thảo kết quả khảo sát lĩnh vực {title}",
                self.day(workshops["date"]),
                workshops["deliverable"],
                held=True,
            )
        self.log("Mạng lưới: khảo sát 90 doanh nghiệp, 4 báo cáo, 3 hội thảo")

    def _answer(self, question: Question, suggestions: list[str]) -> str:
        """A plausible answer to the question (seeded, so every load is the same): a rating
        from 2 to 5 on a scale, yes or no, a head count, or one of the suggestions."""
        if question.type == Question.Type.SINGLE:
            return str(self.rng.randint(2, 5))
        if question.type == Question.Type.YES_NO:
            return self.rng.choice(["yes", "no"])
        if question.type == Question.Type.NUMBER:
            return str(self.rng.randint(20, 800))
        return self.rng.choice(suggestions)

    def _event(self, kind: str, title: str, date: dt.date, code: str, *, held: bool) -> om.Event:
        venue = self.data["event_venue"]
        event = om.Event.objects.create(
            kind=kind,
            title=title,
            date=date,
            venue=venue["venue"],
            district=District.objects.get(code=venue["district"]),
            capacity=venue["capacity"],
            agency=self.agency,
            deliverable=self.deliverable(code),
            audience=venue["audience"],
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
        for spec in self.data["events"]:
            self._event(
                spec["kind"],
                spec["title"],
                self.day(spec["date"]),
                spec["deliverable"],
                held=spec["held"],
            )
        self.log("Mạng lưới: tập huấn, hội thảo, hội nghị")

    def media(self) -> None:
        if om.MediaItem.objects.exists():
            return
        spec = self.data["media"]
        outlets, first = spec["outlets"], self.day(spec["first_date"])
        for i, item in enumerate(spec["items"]):
            copies = item.get("copies")
            kind = item["kind"]
            media.save_media_item(
                self.actor,
                om.MediaItem(
                    kind=kind,
                    title=item["title"],
                    outlet=outlets[i % len(outlets)] if kind != "tv" else spec["tv_outlet"],
                    date=first + dt.timedelta(days=7 * i),
                    link=f"https://example.vn/scp/{i + 1}" if copies is None else "",
                    file=ContentFile(b"%PDF-1.4 demo", name=f"{kind}.pdf") if copies else None,
                    print_quantity=copies,
                    agency=self.agency,
                    deliverable=self.deliverable(item["deliverable"]),
                ),
            )
        self.log(f"Mạng lưới: {len(spec['items'])} sản phẩm truyền thông")
