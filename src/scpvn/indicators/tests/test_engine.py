"""Known-answer tests: small datasets whose values are worked out by hand in each test."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from stdnum.vn import mst

from scpvn.assessments.demo import sample_photo
from scpvn.assessments.models import Questionnaire
from scpvn.assessments.services import submit_response
from scpvn.conftest import make_user
from scpvn.geo.models import District
from scpvn.indicators.methods import method_params
from scpvn.indicators.models import IndicatorValue
from scpvn.indicators.services import (
    compute_plan,
    enter_manual_value,
    indicator_table,
    records_that_counted,
)
from scpvn.orgs.models import Agency
from scpvn.registry.models import Enterprise, IndustrialZone, Place

pytestmark = pytest.mark.django_db
TAX_CODES = (
    f"{prefix}{mst.calc_check_digit(prefix)}"
    for prefix in (f"0101{n:05d}" for n in range(10_000))
    if len(mst.calc_check_digit(prefix)) == 1
)


@pytest.fixture
def officer(hanoi_plan):
    return make_user("canbo", "city_admin", Agency.objects.get(code="SCT"))


def district(code: str) -> District:
    return District.objects.get(code=code)


def enterprise(name: str, code: str, **fields) -> Enterprise:
    fields.setdefault("vsic_code", "4711")
    return Enterprise.objects.create(
        tax_code=next(TAX_CODES), name=name, district=district(code), **fields
    )


def place(name: str, kind: str, code: str) -> Place:
    return Place.objects.create(
        name=name, kind=kind, district=district(code), market_class=1 if kind == "market" else None
    )


def answer(user, code: str, subject, day: str, **values):
    return submit_response(
        questionnaire=Questionnaire.objects.get(code=code),
        subject=subject,
        date=dt.date.fromisoformat(day),
        values=values,
        user=user,
    )


def value(plan, code: str, period: str, district_code: str | None = None) -> IndicatorValue:
    return IndicatorValue.objects.get(
        indicator__plan=plan, indicator__code=code, period=period, district__code=district_code
    )


def test_every_hanoi_indicator_method_reads_its_params(hanoi_plan):
    for indicator in hanoi_plan.indicators.exclude(method=None):
        params = method_params(indicator.method)
        if hasattr(params, "questionnaire"):
            assert Questionnaire.objects.filter(code=params.questionnaire).exists()


def divide_by(plan, code: str, denominator: str) -> None:
    indicator = plan.indicators.get(code=code)
    indicator.method["params"]["denominator"] = denominator
    indicator.save(update_fields=["method"])


# 4.1 over the same answers with each denominator, worked out by hand below. Year: E1, E2
# meet it, E3 does not (E4 is not in distribution, E5 never surveyed); first half: E2 only;
# Q3: E1 only; July: nobody surveyed.
DENOMINATORS = {
    # (numerator, denominator, value) for the year, then H1, Đống Đa H1, Q3, July values
    "registry": ((2, 4, "50.00"), "25.00", "50.00", "25.00", "0.00"),
    "observed": ((2, 3, "66.67"), "33.33", "50.00", "100.00", None),
}


@pytest.mark.parametrize("denominator", DENOMINATORS)
def test_share_of_distribution_enterprises_with_each_denominator(hanoi_plan, officer, denominator):
    """The plan file says what 4.1 divides by: `registry`, every distribution enterprise
    of the registry (what the plan means, and what it ships with), or `observed`, those
    surveyed. The coverage (observed / registered) is the same either way."""
    # Đống Đa (006): E1 supermarket, E2 convenience store; Ba Đình (001): E3 wholesaler,
    # E4 not in distribution (filtered out), E5 mall never surveyed.
    assert method_params(hanoi_plan.indicators.get(code="4.1").method).denominator == "registry"
    divide_by(hanoi_plan, "4.1", denominator)
    e1 = enterprise("E1", "006", distribution="supermarket")
    e2 = enterprise("E2", "006", distribution="convenience")
    e3 = enterprise("E3", "001", distribution="wholesaler")
    e4 = enterprise("E4", "001")
    enterprise("E5", "001", distribution="mall")
    answer(officer, "SXSH-PP", e1, "2020-02-10", muc_do="chua_biet")
    answer(officer, "SXSH-PP", e1, "2020-08-03", muc_do="ap_dung")
    answer(officer, "SXSH-PP", e2, "2020-03-12", muc_do="nhan_thuc")
    answer(officer, "SXSH-PP", e3, "2020-05-20", muc_do="chua_biet")
    answer(officer, "SXSH-PP", e4, "2020-05-20", muc_do="ap_dung")
    compute_plan(hanoi_plan)
    (numerator, denominator_, figure), h1, h1_006, q3, july_value = DENOMINATORS[denominator]

    year = value(hanoi_plan, "4.1", "2020")
    assert (year.numerator, year.denominator, year.value) == (
        numerator,
        denominator_,
        Decimal(figure),
    )
    # 3 of the 4 registered distribution enterprises seen, whatever the denominator
    assert (year.observed, year.population, year.coverage) == (3, 4, Decimal("75.00"))
    # first half: E1 still "chua_biet"
    assert value(hanoi_plan, "4.1", "2020-H1").value == Decimal(h1)
    # Đống Đa, first half: E1 no, E2 yes, both registered ones observed
    h1_dongda = value(hanoi_plan, "4.1", "2020-H1", "006")
    assert (h1_dongda.value, h1_dongda.coverage) == (Decimal(h1_006), Decimal("100.00"))
    assert value(hanoi_plan, "4.1", "2020-Q3").value == Decimal(q3)  # E1 only
    july = value(hanoi_plan, "4.1", "2020-07")
    assert (july.value, july.observed) == (july_value and Decimal(july_value), 0)
    [row] = [r for r in indicator_table(hanoi_plan, "2020") if r.code == "4.1"]
    assert (row.observed, row.population, row.divides_by) == (3, 4, denominator)

    records = records_that_counted(year.indicator, "2020", None)
    assert sorted(r.subject.split(" (")[0] for r in records) == ["E1", "E2", "E3"]
    assert {r.date for r in records if r.subject.startswith("E1")} == {dt.date(2020, 8, 3)}


def test_reduction_of_non_biodegradable_packaging_at_markets(hanoi_plan, officer):
    m1 = place("Chợ Ô Chợ Dừa", "market", "006")
    m2 = place("Chợ Châu Long", "market", "001")
    place("Siêu thị A", "supermarket", "001")
    answer(officer, "BB-CHO", m1, "2020-01-10", ky="goc", kho_phan_huy_kg=30, tong_bao_bi_kg=100)
    answer(officer, "BB-CHO", m2, "2020-01-15", ky="goc", kho_phan_huy_kg=50, tong_bao_bi_kg=100)
    answer(
        officer, "BB-CHO", m2, "2020-05-01", ky="theo_doi", kho_phan_huy_kg=40, tong_bao_bi_kg=100
    )
    answer(
        officer, "BB-CHO", m1, "2020-11-05", ky="theo_doi", kho_phan_huy_kg=10, tong_bao_bi_kg=100
    )
    answer(
        officer, "BB-CHO", m2, "2020-11-20", ky="theo_doi", kho_phan_huy_kg=20, tong_bao_bi_kg=100
    )
    compute_plan(hanoi_plan)

    # baseline 80/200 = 40 %; 2020 follow-up 70/300 = 23.33 %; 100 × (1 − 0.2333/0.4) = 41.67
    year = value(hanoi_plan, "4.2.1", "2020")
    assert (year.denominator, year.numerator, year.value) == (
        Decimal("40.00"),
        Decimal("23.33"),
        Decimal("41.67"),
    )
    assert (year.observed, year.population) == (2, 2)
    # Q4: 30/200 = 15 % → 100 × (1 − 15/40) = 62.5
    assert value(hanoi_plan, "4.2.1", "2020-Q4").value == Decimal("62.50")
    # Ba Đình: baseline 50 %; Q2 40 % → 20; Q4 20 % → 60
    assert value(hanoi_plan, "4.2.1", "2020-Q2", "001").value == Decimal("20.00")
    assert value(hanoi_plan, "4.2.1", "2020-Q4", "001").value == Decimal("60.00")
    assert value(hanoi_plan, "4.2.1", "2020-Q1").value is None  # no follow-up yet
    roles = [r.role for r in records_that_counted(year.indicator, "2020-Q4", None)]
    assert sorted(roles) == ["kỳ gốc", "kỳ gốc", "theo dõi", "theo dõi"]


def test_share_of_supermarkets_over_the_registry_and_all_conditions(hanoi_plan, officer):
    s1 = place("Siêu thị 1", "supermarket", "006")
    s2 = place("Siêu thị 2", "supermarket", "001")
    place("TTTM 3", "mall", "001")  # never inspected: still in the denominator
    photo = {
        "anh_minh_chung": SimpleUploadedFile("a.png", sample_photo(), content_type="image/png")
    }
    answer(officer, "NILON-ST", s1, "2020-03-02", dung_tui_kho_phan_huy=False, **photo)
    answer(officer, "NILON-ST", s2, "2020-04-02", dung_tui_kho_phan_huy=True, **photo)
    answer(officer, "NILON-ST", s2, "2020-10-02", dung_tui_kho_phan_huy=False, **photo)
    food = enterprise("Nông sản", "006", vsic_code="1010")
    shop = enterprise("Cửa hàng", "006", vsic_code="4711")
    answer(officer, "CHUOI-ATTP", food, "2020-06-01", tham_gia_chuoi=True, ma_qr=False)
    answer(officer, "CHUOI-ATTP", shop, "2020-06-01", tham_gia_chuoi=True, ma_qr=True)
    zone = IndustrialZone.objects.first()
    factory = enterprise("Nhà máy", "017", vsic_code="C", industrial_zone=zone)
    enterprise("Nhà máy 2", "017", vsic_code="C", industrial_zone=zone)
    answer(officer, "CNS-KCN", factory, "2020-09-09", doi_moi_cong_nghe=True)
    compute_plan(hanoi_plan)

    assert value(hanoi_plan, "4.2.2", "2020").value == Decimal("66.67")  # S1, S2 of 3
    assert value(hanoi_plan, "4.2.2", "2020-H1").value == Decimal("33.33")  # S1 of 3
    # 4.4's parts over the 2 agri-food enterprises of the registry: both in the chain, 1 QR
    assert value(hanoi_plan, "4.4.1", "2020").value == Decimal("100.00")
    assert value(hanoi_plan, "4.4.2", "2020").value == Decimal("50.00")
    kcn = value(hanoi_plan, "4.3", "2020")
    assert (kcn.numerator, kcn.denominator, kcn.value) == (1, 2, Decimal("50.00"))


def test_facility_count_of_plastic_packaging_producers_still_producing(hanoi_plan, officer):
    """4.2.3 counts the SX-BBN producers whose latest answer up to the period's end says
    they still make plastic packaging. Four producers in the registry (VSIC 22201), one
    other enterprise:
    - A (Đống Đa 006): producing in April, stopped in September → counts in H1 only;
    - B (Đống Đa 006): producing in May, still producing in October → counts in H1 and H2;
    - C (Ba Đình 001): not producing in March → never counts;
    - D (Ba Đình 001): producing in August → counts in H2 only; never in H1;
    - E, a food maker (VSIC 10790), producing: outside the filter, never counts.
    H1: A, B → 2 (Đống Đa 2, Ba Đình 0), visited 3 of 4. 2020: B, D → 2 (1 and 1), 4 of 4;
    Q3: B (May), D → 2; A stopped in September."""
    a, b, c, d = (
        enterprise(name, code, vsic_code="22201")
        for name, code in (("A", "006"), ("B", "006"), ("C", "001"), ("D", "001"))
    )
    e = enterprise("E", "006", vsic_code="10790")
    for subject, day, producing in (
        (a, "2020-04-10", True),
        (a, "2020-09-15", False),
        (b, "2020-05-05", True),
        (b, "2020-10-20", True),
        (c, "2020-03-01", False),
        (d, "2020-08-08", True),
        (e, "2020-04-01", True),
    ):
        answer(officer, "SX-BBN", subject, day, con_san_xuat=producing)
    indicator = hanoi_plan.indicators.get(code="4.2.3")
    assert indicator.method["kind"] == "facility_count"
    assert indicator.name.startswith("đến 31/12/2020 hạn chế tối đa")  # the plan's text kept
    compute_plan(hanoi_plan)
    h1 = value(hanoi_plan, "4.2.3", "2020-H1")
    assert (h1.value, h1.observed, h1.population, h1.coverage) == (2, 3, 4, Decimal("75.00"))
    assert value(hanoi_plan, "4.2.3", "2020-H1", "006").value == 2
    assert value(hanoi_plan, "4.2.3", "2020-H1", "001").value == 0
    year = value(hanoi_plan, "4.2.3", "2020")
    assert (year.value, year.observed, year.population) == (2, 4, 4)
    assert value(hanoi_plan, "4.2.3", "2020", "006").value == 1
    assert value(hanoi_plan, "4.2.3", "2020", "001").value == 1
    assert value(hanoi_plan, "4.2.3", "2020-Q3").value == 2
    assert value(hanoi_plan, "4.2.3", "2020-02").value == 0
    counted = records_that_counted(indicator, "2020", None)
    assert sorted((r.subject.split(" (")[0], r.role) for r in counted) == [
        ("A", "đã kiểm tra, không đếm"),
        ("B", "được đếm"),
        ("C", "đã kiểm tra, không đếm"),
        ("D", "được đếm"),
    ]


def test_manual_value_with_source_and_indicator_table(hanoi_plan, officer):
    indicator = hanoi_plan.indicators.get(code="5.1")
    enter_manual_value(
        indicator=indicator,
        period_code="2020",
        value=Decimal("41.5"),
        source_title="Niên giám thống kê 2020",
        source_document=SimpleUploadedFile("nien-giam.pdf", b"%PDF-1.4 x"),
        user=officer,
    )
    enter_manual_value(
        indicator=indicator,
        period_code="2020",
        value=Decimal("42.5"),
        source_title="Báo cáo Bộ Công Thương",
        source_document=SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 y"),
        user=officer,
    )
    with pytest.raises(ValueError):
        enter_manual_value(
            indicator=hanoi_plan.indicators.get(code="4.1"),
            period_code="2020",
            value=Decimal(1),
            source_title="x",
            source_document=SimpleUploadedFile("x.pdf", b"x"),
            user=officer,
        )
    rows = {row.code: row for row in indicator_table(hanoi_plan, "2020")}
    assert list(rows)[:3] == ["4.1", "4.2", "4.2.1"]
    assert rows["5.1"].value == Decimal("42.5")  # the latest entry wins
    assert rows["5.1"].target == Decimal(45)
    assert rows["4.1"].value is None and rows["4.2"].value is None
    assert rows["5.2.1"].value is None
    with pytest.raises(ValueError):
        indicator_table(hanoi_plan, "2020-Q5")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_values_are_recomputed_in_the_background_when_records_change(hanoi_plan, officer):
    compute_plan(hanoi_plan)
    assert value(hanoi_plan, "4.1", "2020").value is None
    shop = enterprise("Siêu thị", "006", distribution="supermarket")
    answer(officer, "SXSH-PP", shop, "2020-04-01", muc_do="huong_dan")
    assert value(hanoi_plan, "4.1", "2020").value is None  # not yet: the job is queued
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    assert value(hanoi_plan, "4.1", "2020").value == Decimal("100.00")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_changes_while_a_recompute_waits_queue_no_other(hanoi_plan, officer):
    """Each answer commits on its own; one job is queued for all three, and its run counts all
    three. A change after that run queues a new job."""
    from django_tasks_db.models import DBTaskResult

    def waiting() -> int:
        return DBTaskResult.objects.filter(status="READY").count()

    compute_plan(hanoi_plan)
    for code in ("006", "007", "008"):
        shop = enterprise(f"Siêu thị {code}", code, distribution="supermarket")
        answer(officer, "SXSH-PP", shop, "2020-04-01", muc_do="huong_dan")
    assert waiting() == 1
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    assert waiting() == 0
    figure = value(hanoi_plan, "4.1", "2020")
    assert (figure.numerator, figure.denominator) == (3, 3)
    shop = enterprise("Siêu thị 009", "009", distribution="supermarket")
    answer(officer, "SXSH-PP", shop, "2020-05-01", muc_do="chua_biet")
    assert waiting() == 1


def test_traceable_products_count_toward_4_4_2(hanoi_plan, officer):
    """4.4.2: says it uses QR OR has QR-traceable products on record.
    `food` answered "no QR" but its lot's EPCIS events were recorded in 2020; `late` has a
    product but no events; `shop` says it uses QR. By hand: 2 of 3 = 66.67 %."""
    from django.utils import timezone

    from scpvn.trace.models import Event
    from scpvn.trace.tests.factories import harvested_lot, product_for

    food = enterprise("Rau sạch Đông Anh", "017", vsic_code="0118")
    late = enterprise("Hợp tác xã Gia Lâm", "018", vsic_code="0118")
    shop = enterprise("Cửa hàng", "006", vsic_code="4711")
    for subject in (food, late):
        answer(officer, "CHUOI-ATTP", subject, "2020-06-01", tham_gia_chuoi=True, ma_qr=False)
    answer(officer, "CHUOI-ATTP", shop, "2020-06-01", tham_gia_chuoi=True, ma_qr=True)
    harvested_lot(food)
    Event.objects.update(record_time=timezone.make_aware(dt.datetime(2020, 8, 1, 9, 0)))
    product_for(late, gtin="08934588012235", name="Bưởi Diễn")  # master data, no events
    compute_plan(hanoi_plan)

    figure = value(hanoi_plan, "4.4.2", "2020")
    assert (figure.numerator, figure.denominator, figure.value) == (2, 3, Decimal("66.67"))
    assert value(hanoi_plan, "4.4.1", "2020").value == Decimal("100.00")  # all in the chain
    counted = records_that_counted(hanoi_plan.indicators.get(code="4.4.2"), "2020", None)
    assert sorted(r.subject for r in counted if r.role == "tử số và mẫu số") == sorted(
        [str(food), str(shop)]
    )


def test_traceability_recorded_after_the_period_does_not_count(hanoi_plan, officer):
    """Events recorded after the plan's period are not known to its figures."""
    from scpvn.trace.tests.factories import harvested_lot

    food = enterprise("Rau sạch Đông Anh", "017", vsic_code="0118")
    answer(officer, "CHUOI-ATTP", food, "2020-06-01", tham_gia_chuoi=True, ma_qr=False)
    harvested_lot(food)  # recorded now, years after 2020
    compute_plan(hanoi_plan)
    assert value(hanoi_plan, "4.4.2", "2020").value == Decimal("0.00")


def test_a_plan_costs_the_same_queries_whatever_its_indicators_periods_and_records(
    hanoi_plan, officer
):
    """The records are read once for all the plan's indicators (services: `_read_rows`):
    twice the indicators, twice the periods and more records cost no query more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            compute_plan(hanoi_plan)
        return len(captured)

    shop = enterprise("Siêu thị", "006", distribution="supermarket")
    compute_plan(hanoi_plan)
    # each recompute below finds values changed: it deletes them and inserts their new ones
    answer(officer, "SXSH-PP", shop, "2020-02-10", muc_do="ap_dung")
    few = queries()

    for indicator in list(hanoi_plan.indicators.exclude(method=None)):
        indicator.pk, indicator.code = None, f"9.{indicator.code}"
        indicator.save()
    hanoi_plan.period_end = dt.date(2021, 12, 31)
    hanoi_plan.save()
    market = place("Chợ", "market", "001")
    for day in ("2020-01-10", "2021-03-10"):
        answer(officer, "BB-CHO", market, day, ky="goc", kho_phan_huy_kg=3, tong_bao_bi_kg=10)
    producer = enterprise("Nhà máy", "001", vsic_code="22201")
    answer(officer, "SX-BBN", producer, "2020-04-10", con_san_xuat=True)
    food = enterprise("Nông sản", "006", vsic_code="1010")
    answer(officer, "CHUOI-ATTP", food, "2021-06-01", tham_gia_chuoi=True, ma_qr=True)

    assert queries() == few
    assert value(hanoi_plan, "9.4.2.3", "2020").value == 1  # the copies are computed too
    assert value(hanoi_plan, "9.4.4.2", "2021").numerator == 1


def test_the_shared_read_is_never_jit_compiled_on_postgresql(hanoi_plan, officer):
    """Estimated right, the shared read costs millions in PostgreSQL's planner (a subquery
    per test and response), so PostgreSQL would compile and optimise it first: 0.8 s on top
    of a 0.18 s read at 200,000 answers. Every read must run with `jit` off, also on a server
    whose thresholds compile every query."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("JIT compilation: PostgreSQL only")
    shop = enterprise("Siêu thị", "006", distribution="supermarket")
    answer(officer, "SXSH-PP", shop, "2020-02-10", muc_do="ap_dung")
    with connection.cursor() as cursor:
        for setting in ("jit_above_cost", "jit_optimize_above_cost", "jit_inline_above_cost"):
            cursor.execute(f"SET LOCAL {setting} = 0")
    seen: list[str] = []

    def jit_when_reading_responses(execute, sql, params, many, context):
        if sql.lstrip().startswith('SELECT "assessments_response"."id"'):
            context["cursor"].execute("SHOW jit")
            seen.append(context["cursor"].fetchone()[0])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(jit_when_reading_responses):
        compute_plan(hanoi_plan)
    assert seen and set(seen) == {"off"}  # a read per questionnaire
    assert value(hanoi_plan, "4.1", "2020").numerator == 1


def test_a_recompute_rewrites_only_the_values_that_changed(hanoi_plan, officer):
    """A recompute follows every approval: the values it finds the same stay as stored (same
    row, same `computed_at`, shown as "giá trị có từ"); only those that changed are
    replaced. Two of the three supermarkets never answer: a coverage of 33.33 % is kept
    as it was (SQLite returns it as a float)."""
    shop = enterprise("Siêu thị", "006", distribution="supermarket")
    for code in ("007", "008"):
        enterprise(f"Siêu thị {code}", code, distribution="supermarket")
    answer(officer, "SXSH-PP", shop, "2020-02-10", muc_do="ap_dung")
    compute_plan(hanoi_plan)

    def stored() -> dict[tuple, IndicatorValue]:
        return {
            (v.indicator_id, v.period, v.district_id, v.unit_id): v
            for v in IndicatorValue.objects.filter(indicator__plan=hanoi_plan)
        }

    def figures(v: IndicatorValue) -> tuple:
        return (v.value, v.numerator, v.denominator, v.observed, v.population, v.coverage)

    before = stored()
    answer(officer, "SXSH-PP", shop, "2020-11-10", muc_do="chua_biet")
    compute_plan(hanoi_plan)
    after = stored()

    assert after.keys() == before.keys()
    replaced = {key for key in before if after[key].pk != before[key].pk}
    changed = {key for key in before if figures(after[key]) != figures(before[key])}
    assert replaced == changed
    assert {key[1] for key in replaced} == {"2020-11", "2020-Q4", "2020-H2", "2020"}
    february = value(hanoi_plan, "4.1", "2020-02")
    assert february.coverage == Decimal("33.33")
    assert (february.pk, february.computed_at) == (
        before[(february.indicator_id, "2020-02", None, None)].pk,
        before[(february.indicator_id, "2020-02", None, None)].computed_at,
    )
    assert value(hanoi_plan, "4.1", "2020").numerator == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_two_recomputes_of_a_plan_at_once_both_finish(hanoi_plan, officer):
    """Two workers (or a worker and a value entered by hand) may recompute one plan at once.
    The second waits for the first's commit and then finds its values: before, it wrote the
    same values beside the first's and broke their uniqueness (IntegrityError)."""
    from django.db import connection

    from scpvn.conftest import second_waits_on_first

    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one write transaction at a time")
    shop = enterprise("Siêu thị", "006", distribution="supermarket")
    answer(officer, "SXSH-PP", shop, "2020-02-10", muc_do="ap_dung")
    outcome = second_waits_on_first(
        lambda: compute_plan(hanoi_plan), lambda: compute_plan(hanoi_plan)
    )
    assert outcome.pop("waited")  # the second recompute waits for the first
    assert not outcome, outcome
    assert value(hanoi_plan, "4.1", "2020").value == 100


def test_a_plan_is_computed_with_the_collector_paused(hanoi_plan, officer, monkeypatch):
    """The engine keeps every row it reads until the figures are stored: a collection
    meanwhile frees nothing (`core.collection`)."""
    import gc

    from scpvn.indicators import services

    seen: list[bool] = []
    store = services._store

    def watched(*args, **kwargs):
        seen.append(gc.isenabled())
        return store(*args, **kwargs)

    monkeypatch.setattr(services, "_store", watched)
    compute_plan(hanoi_plan)
    assert seen == [False] and gc.isenabled()
