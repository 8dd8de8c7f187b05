"""Indicator engine: every indicator of the Hanoi plan, for every month, quarter, half and
year and every district, against one hand-written SQL aggregate, at every size (answers) of
the `indicators` ladder (`bench/sizes.py`). The baseline is a single GROUP BY over all the
year's counted answers (per district and questionnaire: subjects and matching answers; a
market visit received over OpenRosa counts once accepted, `VISITED`), i.e. one pass over the
data for the year only; the engine computes 19 periods × 31 units per
indicator, keeps each subject's latest answer per period, and stores every value (the
first round writes them all; a recompute writes those that changed).
"""

import datetime as dt
import os
import random
import time

from bench.results import record
from bench.sizes import ladder

ANSWERS = int(os.environ.get("SCPVN_BENCH_ANSWERS", "1000000"))
ROUNDS = 3
# questionnaire: (share of responses, subjects)
MIX = {
    "SXSH-PP": (0.30, "distribution"),
    "CNS-KCN": (0.20, "zone"),
    "BB-CHO": (0.15, "market"),
    "NILON-ST": (0.15, "shop"),
    "SX-BBN": (0.05, "plastic"),
    "CHUOI-ATTP": (0.15, "food"),
}
BASELINE_SQL = """
SELECT r.district_id, qn.code, COUNT(DISTINCT COALESCE(r.enterprise_id, -r.place_id)),
       SUM(CASE WHEN (qs.code = 'muc_do' AND a.text IN ('nhan_thuc', 'huong_dan', 'ap_dung'))
                  OR (qs.code IN ('doi_moi_cong_nghe', 'tham_gia_chuoi', 'ma_qr') AND a.boolean)
                  OR (qs.code = 'dung_tui_kho_phan_huy' AND NOT a.boolean) THEN 1 ELSE 0 END),
       SUM(CASE WHEN qs.code = 'kho_phan_huy_kg' THEN a.number ELSE 0 END),
       SUM(CASE WHEN qs.code = 'tong_bao_bi_kg' THEN a.number ELSE 0 END)
FROM assessments_answer a
JOIN assessments_response r ON r.id = a.response_id
JOIN assessments_question qs ON qs.id = a.question_id
JOIN assessments_questionnaire qn ON qn.id = r.questionnaire_id
LEFT JOIN assessments_submission s ON s.response_id = r.id
WHERE r.date BETWEEN %s AND %s AND (s.id IS NULL OR s.status = 'approved')
GROUP BY r.district_id, qn.code
"""
# Markets are visited with ODK Collect: their responses arrive as OpenRosa submissions, nine
# in ten accepted by a reviewer, as in production. The engine and the baseline count the
# accepted ones only; with no submission at all the benchmark missed a plan that took the
# engine's read from 0.2 to 1 s once PostgreSQL estimated it right (JIT compilation).
VISITED = "BB-CHO"
SUBMISSION_COLUMNS = (
    "id", "instance_id", "xml", "received_at", "form_id", "response_id", "gps_check",
    "new_place", "review_comment", "status", "version",
)  # fmt: skip


def _value(rng: random.Random, question) -> tuple:
    """(number, boolean, text, date, choices) for one answer."""
    kind = question.type
    if kind == "number":
        return (rng.randint(1, 500), None, "", None, "[]")
    if kind == "yes_no":
        return (None, rng.random() < 0.6, "", None, "[]")
    if kind == "single":
        return (None, None, rng.choice(question.choices)["value"], None, "[]")
    if kind == "multiple":
        return (None, None, "", None, f'["{question.choices[0]["value"]}"]')
    if kind == "date":
        return (None, None, "", dt.date(2020, 1, 1), "[]")
    return (None, None, "bench", None, "[]")


RESPONSE_COLUMNS = (
    "id",
    "questionnaire_id",
    "enterprise_id",
    "place_id",
    "district_id",
    "date",
    "created_at",
)
ANSWER_COLUMNS = (
    "response_id",
    "question_id",
    "number",
    "boolean",
    "text",
    "date",
    "choices",
    "photo",
)


def _insert(cursor, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """executemany on SQLite; COPY on PostgreSQL (executemany there took minutes)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join(["%s"] * len(columns))
    cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def populate(total_answers: int) -> int:
    from django.conf import settings
    from django.db import connection, transaction

    from scpvn.assessments.formmodels import PublishedForm
    from scpvn.assessments.models import Questionnaire
    from scpvn.geo.models import District
    from scpvn.plans.planfile import read_plan_file
    from scpvn.plans.services import load_plan
    from scpvn.registry.demo import tax_codes
    from scpvn.registry.models import Enterprise, IndustrialZone, Place

    load_plan(read_plan_file(settings.SCPVN_DEFAULT_PLAN_FILE))
    rng = random.Random(96)
    scale = max(total_answers / 1_000_000, 0.001)
    districts = list(District.objects.all())
    zone = IndustrialZone.objects.first()
    kinds = [("distribution", 10_000), ("zone", 8_000), ("food", 8_000), ("plastic", 2_000)]
    enterprises = []
    codes = iter(tax_codes(sum(int(n * scale) + 1 for _k, n in kinds)))
    for kind, count in kinds:
        for _ in range(int(count * scale) + 1):
            enterprises.append(
                Enterprise(
                    tax_code=next(codes),
                    name=f"DN {kind}",
                    district=rng.choice(districts),
                    vsic_code={"food": "1010", "plastic": "22201"}.get(kind, "4711"),
                    distribution="supermarket" if kind == "distribution" else "",
                    industrial_zone=zone if kind == "zone" else None,
                )
            )
    Enterprise.objects.bulk_create(enterprises, batch_size=2000)
    places = [
        Place(kind=kind, name=f"{kind} {i}", district=rng.choice(districts), market_class=cls)
        for kind, count, cls in (("market", 2000, 2), ("supermarket", 1500, None))
        for i in range(int(count * scale) + 1)
    ]
    Place.objects.bulk_create(places, batch_size=2000)
    subjects = {
        "distribution": ("enterprise", list(Enterprise.objects.exclude(distribution="").values_list("id", "district_id"))),
        "zone": ("enterprise", list(Enterprise.objects.filter(industrial_zone__isnull=False).values_list("id", "district_id"))),
        "food": ("enterprise", list(Enterprise.objects.filter(vsic_code="1010").values_list("id", "district_id"))),
        "plastic": ("enterprise", list(Enterprise.objects.filter(vsic_code="22201").values_list("id", "district_id"))),
        "market": ("place", list(Place.objects.filter(kind="market").values_list("id", "district_id"))),
        "shop": ("place", list(Place.objects.filter(kind="supermarket").values_list("id", "district_id"))),
    }  # fmt: skip
    now = dt.datetime.now(dt.UTC)
    response_id, written = 0, 0
    with transaction.atomic(), connection.cursor() as cursor:
        for code, (share, subject_kind) in MIX.items():
            questionnaire = Questionnaire.objects.get(code=code)
            questions = list(questionnaire.questions.all())
            field, pool = subjects[subject_kind]
            count = int(total_answers * share / len(questions))
            form = None
            if code == VISITED:
                form = PublishedForm.objects.create(
                    questionnaire=questionnaire, form_id=code.lower(), version="1", title=code
                )
            for start in range(0, count, 20_000):
                responses, answers, submissions = [], [], []
                for _ in range(min(20_000, count - start)):
                    response_id += 1
                    subject, district = rng.choice(pool)
                    day = dt.date(2020, rng.randint(1, 12), rng.randint(1, 28))
                    ids = (subject, None) if field == "enterprise" else (None, subject)
                    responses.append((response_id, questionnaire.pk, *ids, district, day, now))
                    answers += [(response_id, q.pk, *_value(rng, q), "") for q in questions]
                    if form is not None:
                        status = "submitted" if response_id % 10 == 0 else "approved"
                        submissions.append(
                            (response_id, f"uuid:{response_id}", "<data/>", now, form.pk,
                             response_id, "near", False, "", status, 1)
                        )  # fmt: skip
                _insert(cursor, "assessments_response", RESPONSE_COLUMNS, responses)
                _insert(cursor, "assessments_answer", ANSWER_COLUMNS, answers)
                _insert(cursor, "assessments_submission", SUBMISSION_COLUMNS, submissions)
                written += len(answers)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return written


def measure() -> None:
    from django.conf import settings
    from django.db import connection

    from scpvn.indicators.models import IndicatorValue
    from scpvn.indicators.services import compute_plan
    from scpvn.plans.models import Plan
    from scpvn.plans.planfile import read_plan_file

    start = time.perf_counter()
    written = populate(ANSWERS)
    print(f"  {written:,} answers generated in {time.perf_counter() - start:.1f} s", flush=True)
    plan = Plan.objects.get(code=read_plan_file(settings.SCPVN_DEFAULT_PLAN_FILE).code)
    # the best of ROUNDS for each, taken in turns: a single cold read paid for the hint bits
    # PostgreSQL sets on the first pass over freshly copied rows, so whichever ran first lost.
    # The engine's first round stores every value; the later ones are recomputes that find
    # them the same (what the job after an approval does, less the few values it changed):
    # the first round is printed and recorded apart
    baselines, runs = [], []
    for _round in range(ROUNDS):
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(BASELINE_SQL, [dt.date(2020, 1, 1), dt.date(2020, 12, 31)])
            groups = len(cursor.fetchall())
        baselines.append(time.perf_counter() - start)
        start = time.perf_counter()
        stored = compute_plan(plan)
        runs.append(time.perf_counter() - start)
    baseline, elapsed, first = min(baselines), min(runs), runs[0]
    assert IndicatorValue.objects.filter(value__isnull=False).exists()
    print(
        f"  hand-written SQL aggregate ({groups} groups, year only): {baseline:.2f} s (best of {ROUNDS})"
    )
    print(
        f"  engine, first computation, every value written: {first:.2f} s ({first / baseline:.2f}×)"
    )
    print(f"  engine, all indicators × 19 periods × 31 units ({stored:,} values): {elapsed:.2f} s")
    print(f"  ratio engine / SQL: {elapsed / baseline:.2f}× (aim ≤ 1.5×)", flush=True)
    record(
        "indicators",
        f"engine, first computation, {connection.vendor} (s)",
        size=ANSWERS,
        value=first,
        unit="s",
        ratio=first / baseline,
    )
    record(
        "indicators",
        f"engine, {connection.vendor} (s)",
        size=ANSWERS,
        value=elapsed,
        unit="s",
        ratio=elapsed / baseline,
        aim="≤ 1.5× one SQL aggregate",
    )


def run() -> None:
    from bench.throwaway import run_in_children

    for answers in ladder("indicators"):
        os.environ["SCPVN_BENCH_ANSWERS"] = str(answers)
        run_in_children("bench.bench_indicators")
