"""A year (2020) of surveys and inspections over the demo registry, drawn so that each
indicator has a true computed value that moves over the year."""

import datetime as dt
import io
import random
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image

from scpvn.assessments.models import (
    Answer,
    Assignment,
    PublishedForm,
    Question,
    Questionnaire,
    Response,
)
from scpvn.assessments.publishing import publish_form
from scpvn.assessments.services import load_questionnaires
from scpvn.assessments.xlsform import compile_xlsform
from scpvn.orgs.models import User
from scpvn.registry.models import Enterprise, Place

ORDER = 40
SEED = 2020
YEAR = 2020
PHOTO = "assessments/photos/demo/quay-thu-ngan.png"


def sample_photo() -> bytes:
    """A small green PNG standing in for the inspectors' photos."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (25, 135, 84)).save(buffer, "PNG")
    return buffer.getvalue()


Row = tuple[Enterprise | Place, dt.date, dict]


def _day(rng: random.Random, first_month: int, last_month: int) -> dt.date:
    return dt.date(YEAR, rng.randint(first_month, last_month), rng.randint(1, 28))


def _store(code: str, rows: list[Row], user: User | None) -> int:
    """Bulk-create the responses and their answers (values already typed)."""
    questionnaire = Questionnaire.objects.filter(code=code).order_by("-version").first()
    questions = {q.code: q for q in questionnaire.questions.all()}
    responses = Response.objects.bulk_create(
        [
            Response(
                questionnaire=questionnaire,
                enterprise=subject if isinstance(subject, Enterprise) else None,
                place=subject if isinstance(subject, Place) else None,
                district_id=subject.district_id,
                date=day,
                submitted_by=user,
            )
            for subject, day, _values in rows
        ],
        batch_size=1000,
    )
    answers = []
    for response, (_subject, _day, values) in zip(responses, rows, strict=True):
        for qcode, value in values.items():
            question = questions[qcode]
            field = {
                Question.Type.NUMBER: "number",
                Question.Type.YES_NO: "boolean",
                Question.Type.SINGLE: "text",
                Question.Type.TEXT: "text",
                Question.Type.MULTIPLE: "choices",
                Question.Type.DATE: "date",
                Question.Type.PHOTO: "photo",
            }[question.type]
            answers.append(Answer(response=response, question=question, **{field: value}))
    Answer.objects.bulk_create(answers, batch_size=2000)
    return len(responses)


def _cleaner_production(rng, enterprises, skip: set[int]) -> list[Row]:
    rows = []
    for e in enterprises:
        if e.pk in skip or rng.random() > 0.85:
            continue
        reached = rng.random() < 0.35
        level = rng.choice(["nhan_thuc", "huong_dan", "ap_dung"]) if reached else "chua_biet"
        rows.append((e, _day(rng, 2, 6), {"muc_do": level, "tap_huan": reached}))
        if rng.random() < 0.6:
            reached = reached or rng.random() < 0.6
            level = rng.choice(["huong_dan", "ap_dung"]) if reached else "chua_biet"
            values = {"muc_do": level, "tap_huan": reached}
            if level == "ap_dung":
                values["giai_phap"] = rng.sample(["den_led", "dieu_hoa_inverter", "giam_bao_bi"], 2)
                values["dien_tieu_thu"] = Decimal(rng.randint(2_000, 40_000))
            rows.append((e, _day(rng, 8, 11), values))
    return rows


def _clean_technology(rng, enterprises) -> list[Row]:
    rows = []
    for e in enterprises:
        if rng.random() > 0.75:
            continue
        adopted = rng.random() < 0.72
        values: dict = {"doi_moi_cong_nghe": adopted, "iso14001": rng.random() < 0.3}
        if adopted:
            values["linh_vuc"] = rng.sample(
                ["xu_ly_nuoc_thai", "tiet_kiem_nang_luong", "tai_che"], 2
            )
            values["von_dau_tu"] = Decimal(rng.randint(200, 20_000))
            values["ngay_ap_dung"] = dt.date(rng.randint(2016, YEAR), rng.randint(1, 12), 1)
        rows.append((e, _day(rng, 3, 10), values))
    return rows


def _market_packaging(rng, markets) -> list[Row]:
    rows = []
    # Follow-up visits: month and how much of the baseline share is left by then.
    follow_ups = [(4, 0.85), (7, 0.65), (10, 0.5), (12, 0.42)]
    for market in markets:
        total = Decimal(rng.randint(80, 300))
        share = Decimal(rng.randint(25, 45)) / 100
        base = {
            "ky": "goc",
            "tong_bao_bi_kg": total,
            "kho_phan_huy_kg": (total * share).quantize(Decimal("0.1")),
        }
        base["so_ho_kinh_doanh"] = Decimal(rng.randint(40, 400))
        rows.append((market, _day(rng, 1, 2), base))
        for month, left in follow_ups:
            if rng.random() < 0.15:
                continue  # a missed visit
            visit_total = total * Decimal(rng.uniform(0.85, 1.15)).quantize(Decimal("0.01"))
            visit_share = share * Decimal(left * rng.uniform(0.8, 1.2)).quantize(Decimal("0.01"))
            rows.append(
                (
                    market,
                    _day(rng, month, month),
                    {
                        "ky": "theo_doi",
                        "tong_bao_bi_kg": visit_total.quantize(Decimal("0.1")),
                        "kho_phan_huy_kg": (visit_total * visit_share).quantize(Decimal("0.1")),
                    },
                )
            )
    return rows


def _nylon_bags(rng, shops) -> list[Row]:
    rows = []
    for shop in shops:
        free = False
        for month, chance in ((3, 0.5), (7, 0.7), (11, 0.88)):
            free = free or rng.random() < chance
            values = {"dung_tui_kho_phan_huy": not free, "anh_minh_chung": PHOTO}
            if free:
                values["thay_the"] = rng.sample(["tui_phan_huy_sinh_hoc", "tui_giay", "tui_vai"], 2)
            rows.append((shop, _day(rng, month, month), values))
    return rows


def _plastic_producers(rng, producers) -> list[Row]:
    rows = []
    for e in producers:
        producing = rng.random() < 0.7
        values: dict = {"con_san_xuat": producing, "san_luong": Decimal(rng.randint(5, 900))}
        values["bien_phap"] = (
            rng.sample(
                ["chuyen_doi_san_pham", "giam_san_luong", "cong_nghe_phan_huy", "tai_che"], 2
            )
            if producing
            else ["ngung_san_xuat"]
        )
        values["ngay_cam_ket"] = _day(rng, 1, 6)
        rows.append((e, _day(rng, 4, 9), values))
    return rows


def _food_chain(rng, enterprises) -> list[Row]:
    rows = []
    for e in enterprises:
        if rng.random() > 0.6:
            continue
        chain = rng.random() < 0.8
        qr = chain and rng.random() < 0.7
        values: dict = {"tham_gia_chuoi": chain, "ma_qr": qr}
        if qr:
            values["so_san_pham"] = Decimal(rng.randint(1, 60))
        rows.append((e, _day(rng, 5, 11), values))
    return rows


def plan_forms() -> list[Path]:
    """The XLSForms shipped with the demo's plans: beside a plan file `x.yaml`, every
    `.xlsx` in `x.forms/` (Hanoi 2026's inspection of the 2027/2028 plastics rules)."""
    plans = [settings.SCPVN_DEFAULT_PLAN_FILE, *settings.SCPVN_DEMO_PLAN_FILES]
    return [
        form
        for plan in plans
        if Path(plan).with_suffix(".forms").is_dir()
        for form in sorted(Path(plan).with_suffix(".forms").glob("*.xlsx"))
    ]


def publish_plan_forms(log: Callable[[str], None]) -> None:
    """Publish the plans' forms as the demo's department officer would (a version already
    published is left as it is)."""
    officer = User.objects.filter(username="canbo.sct").first()
    if officer is None:
        return
    for path in plan_forms():
        content = path.read_bytes()
        compiled = compile_xlsform(content)
        if PublishedForm.objects.filter(
            form_id=compiled.form_id, version=compiled.version
        ).exists():
            continue
        form = publish_form(officer, ContentFile(content, name=path.name))
        log(f"Biểu mẫu {form.form_id} phiên bản {form.version}: đã ban hành ({path.name})")


@transaction.atomic
def load(log: Callable[[str], None]) -> None:
    load_questionnaires()
    publish_plan_forms(log)
    if Response.objects.filter(questionnaire__code="SXSH-PP").exists():
        log("Khảo sát, kiểm tra: đã có dữ liệu trình diễn")
        return
    if not default_storage.exists(PHOTO):
        default_storage.save(PHOTO, ContentFile(sample_photo()))
    rng = random.Random(SEED)
    officer = User.objects.filter(username="canbo.sct").first()
    enterprises = list(Enterprise.objects.order_by("pk"))
    distribution = [
        e
        for e in enterprises
        if e.distribution in ("supermarket", "mall", "convenience", "wholesaler")
    ]
    demo_owned = set(
        Enterprise.objects.filter(members__username="doanhnghiep").values_list("pk", flat=True)
    )
    food_prefixes = ("01", "03", "10", "11", "4620", "4632", "4711", "4721", "4722")
    places = list(Place.objects.order_by("pk"))
    counts = {
        "SXSH-PP": _store("SXSH-PP", _cleaner_production(rng, distribution, demo_owned), officer),
        "CNS-KCN": _store(
            "CNS-KCN",
            _clean_technology(rng, [e for e in enterprises if e.industrial_zone_id]),
            officer,
        ),
        "BB-CHO": _store(
            "BB-CHO", _market_packaging(rng, [p for p in places if p.kind == "market"]), officer
        ),
        "NILON-ST": _store(
            "NILON-ST", _nylon_bags(rng, [p for p in places if p.kind != "market"]), officer
        ),
        "SX-BBN": _store(
            "SX-BBN",
            _plastic_producers(rng, [e for e in enterprises if e.vsic_code == "22201"]),
            officer,
        ),
        "CHUOI-ATTP": _store(
            "CHUOI-ATTP",
            _food_chain(rng, [e for e in enterprises if e.vsic_code.startswith(food_prefixes)]),
            officer,
        ),
    }
    survey = Questionnaire.objects.filter(code="SXSH-PP").order_by("-version").first()
    Assignment.objects.bulk_create(
        [
            Assignment(questionnaire=survey, enterprise=e, due=dt.date(YEAR, 11, 30))
            for e in distribution
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
    log(
        "Khảo sát, kiểm tra năm 2020: "
        + ", ".join(f"{code} {n} phiếu" for code, n in counts.items())
        + f"; {Answer.objects.count()} câu trả lời"
    )
