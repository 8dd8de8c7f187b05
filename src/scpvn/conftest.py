"""Fixtures shared by every app's tests: a small valid plan, and one user per role."""

import contextlib
import copy
import datetime as dt
import os
import sqlite3
import threading
import time
from collections.abc import Callable

import pytest
from django.conf import global_settings, settings
from django.core.cache import cache
from django.db import connection, transaction
from django.test import override_settings
from django.utils import translation

from scpvn.core.memo import forget as forget_reference_memos
from scpvn.orgs.models import Agency, User
from scpvn.orgs.roles import Role

DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


def _uses_database(item) -> bool:
    return bool(
        item.get_closest_marker("django_db")
        or DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
    )


def pytest_collection_modifyitems(config, items):
    """When `make test` runs the suite on both engines (SCPVN_TEST_BOTH_ENGINES), a test runs
    in the pass where it can tell something: one that touches no database gives the same
    answer on both, and a browser test checks what a page does in the browser (the server
    side of each flow has its own tests on both engines), so these run with SQLite only; a
    costly one marked `once_on_postgresql` (migrations replayed, API fuzzing) runs against
    the production engine only. Alone, each engine runs everything."""
    if not os.environ.get("SCPVN_TEST_BOTH_ENGINES"):
        return
    if connection.vendor == "postgresql":
        elsewhere = [
            item for item in items if not _uses_database(item) or item.get_closest_marker("browser")
        ]
    else:
        elsewhere = [item for item in items if item.get_closest_marker("once_on_postgresql")]
    if elsewhere:
        config.hook.pytest_deselected(items=elsewhere)
        skipped = set(map(id, elsewhere))
        items[:] = [item for item in items if id(item) not in skipped]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings):
    """Under `make test`, each worker's test database starts as a copy of the run's migrated
    template (`bench/throwaway.py`, migrated once per engine by `scpvn migrate` before the
    suite) instead of replaying every migration itself: a minute of one core per worker and
    engine. Django's own test-database creation still runs, and its `migrate` finds nothing
    to apply. Without the template (a developer's `pytest`), the test database is migrated.

    SQLite: the in-memory test database lives as long as a connection to it is open, so the
    template is copied into it through a connection kept for the session. PostgreSQL: Django
    creates the test database `WITH TEMPLATE` (its `TEST["TEMPLATE"]` setting)."""
    from bench.throwaway import pg_template, sqlite_template

    keeper = None
    test_settings = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "sqlite" and (template := sqlite_template()):
        name = connection.creation._get_test_db_name()
        if connection.creation.is_in_memory_db(name):
            keeper = sqlite3.connect(name, uri=True)
            with contextlib.closing(sqlite3.connect(template)) as source:
                source.backup(keeper)
    elif connection.vendor == "postgresql" and (template := pg_template()):
        test_settings["TEMPLATE"] = template
    yield
    if keeper is not None:
        keeper.close()


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing():
    """Passwords are hashed with MD5 in tests. Django's PBKDF2 (a million rounds) costs
    0.6 s a password on the project's machines, and every `create_user` and sign-in pays it:
    with it `make test` took 25 min, without it 13 min. What the tests check
    (who may sign in, with which password, the OpenRosa partial digests) does not depend on
    the hasher; production keeps Django's default, which still reads a stored PBKDF2 hash."""
    md5 = "django.contrib.auth.hashers.MD5PasswordHasher"
    with override_settings(PASSWORD_HASHERS=[md5, *global_settings.PASSWORD_HASHERS]):
        yield


@pytest.fixture(autouse=True)
def vietnamese_by_default():
    """Each test starts in the site's language: a request in English (the language switch,
    an Accept-Language header) leaves its language active in the thread, and a later test's
    Vietnamese messages would otherwise come out in English depending on test order."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def fresh_reference_memos():
    """Each test reads the unit tree and draws the schematic maps from its own reference
    data: they are remembered per process (`core.memo`), and a test that moves a district's
    centre with `update()` (no signal) would otherwise leave its drawing to the next tests."""
    forget_reference_memos()
    yield
    forget_reference_memos()


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts from an empty cache: the portal snapshot and the consumer pages'
    versions live in the process-wide cache, and a snapshot another test cached under the
    same date would otherwise show that test's plan."""
    cache.clear()
    yield
    cache.clear()


MINI_PLAN: dict = {
    "code": "01/KH-TEST",
    "title": "Kế hoạch thử nghiệm",
    "issuer": "UBND thành phố Hà Nội",
    "place": "Hà Nội",
    "issued": dt.date(2020, 5, 7),
    "period": {"start": dt.date(2020, 1, 1), "end": dt.date(2020, 12, 31)},
    "funding": {"text": "Ngân sách Thành phố"},
    "agencies": [
        {"code": "SCT", "name": "Sở Công Thương", "kind": "department"},
        {"code": "STNMT", "name": "Sở Tài nguyên và Môi trường", "kind": "department"},
        {"code": "UBNDTP", "name": "UBND Thành phố", "kind": "city"},
    ],
    "objectives": [{"number": 1, "text": "Nâng cao nhận thức"}],
    "indicators": [
        {
            "code": "4.1",
            "name": "Tỷ lệ doanh nghiệp phân phối áp dụng SXSH",
            "scope": "city",
            "unit": "%",
            "target": 50,
            "direction": "increase",
            "deadline": dt.date(2020, 12, 31),
            "method": {
                "kind": "share",
                "description": "Số DN áp dụng / tổng số DN",
                "params": {
                    "questionnaire": "SXSH-PP",
                    "filter": {"distribution": ["supermarket", "mall"]},
                    "condition": [{"question": "muc_do", "in": ["ap_dung"]}],
                },
            },
        },
        {"code": "4.2", "name": "Bao bì", "scope": "city"},
        {
            "code": "4.2.1",
            "name": "Giảm bao bì khó phân hủy tại chợ",
            "scope": "city",
            "unit": "%",
            "target": 65,
            "direction": "decrease",
            "method": {
                "kind": "reduction",
                "description": "So với kỳ gốc",
                "params": {
                    "questionnaire": "BB-CHO",
                    "filter": {"place_kinds": ["market"]},
                    "phase": {"question": "ky", "baseline": "goc", "follow_up": "theo_doi"},
                    "amount": "kho_phan_huy_kg",
                    "total": "tong_bao_bi_kg",
                },
            },
        },
    ],
    "groups": [{"number": 1, "name": "Nâng cao nhận thức"}, {"number": 2, "name": "Phân phối"}],
    "tasks": [
        {
            "number": 1,
            "group": 1,
            "title": "Tuyên truyền",
            "content": "Truyền thông",
            "lead": "SCT",
            "partners": ["STNMT"],
            "start": "2020-07",
            "end": "2020-10",
            "deliverables": [
                {"code": "1.1", "name": "Bài viết", "unit": "bài viết", "target": 30},
                {"code": "1.2", "name": "Clip", "unit": "clip", "target": None},
            ],
        },
        {
            "number": 2,
            "group": 2,
            "title": "Tập huấn",
            "content": "Tập huấn",
            "lead": "SCT",
            "start": "2020-07",
            "end": "2020-11",
            "deliverables": [{"code": "2.1", "name": "Lớp tập huấn", "unit": "lớp", "target": 5}],
        },
    ],
    "duties": [{"agency": "SCT", "text": "Chủ trì"}],
    "reporting": [
        {
            "code": "6T",
            "what": "Báo cáo 6 tháng",
            "frequency": "semiannual",
            "by": "SCT",
            "to": ["UBNDTP"],
        },
    ],
}


@pytest.fixture
def mini_plan_data() -> dict:
    return copy.deepcopy(MINI_PLAN)


@pytest.fixture
def mini_plan(db, mini_plan_data):
    from scpvn.plans.schema import PlanDocument
    from scpvn.plans.services import load_plan

    return load_plan(PlanDocument.model_validate(mini_plan_data)).plan


@pytest.fixture
def hanoi_plan(db):
    from scpvn.plans.planfile import read_plan_file
    from scpvn.plans.services import load_plan

    return load_plan(read_plan_file(settings.SCPVN_DEFAULT_PLAN_FILE)).plan


def second_waits_on_first(first: Callable[[], object], second: Callable[[], object]) -> dict:
    """Two writes at once (PostgreSQL): `first` runs in a transaction held open until
    `second`, started in another thread once `first` is done, waits on a lock; then `first`
    commits. Returns what each raised, under "first" and "second" (nothing when it
    succeeded), and "waited": whether `second` was seen waiting within 30 s."""
    first_done, let_first_commit = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def run_first() -> None:
        try:
            with transaction.atomic():
                first()
                first_done.set()
                let_first_commit.wait(30)
        except Exception as error:
            outcome["first"] = error
        finally:
            first_done.set()
            connection.close()

    def run_second() -> None:
        first_done.wait(30)
        try:
            second()
        except Exception as error:
            outcome["second"] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    for thread in threads:
        thread.start()
    first_done.wait(30)
    outcome["waited"] = _a_session_waits_on_a_lock(seconds=30)
    let_first_commit.set()
    for thread in threads:
        thread.join(30)
    return outcome


def _a_session_waits_on_a_lock(seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return True
        time.sleep(0.02)
    return False


def make_user(
    username: str, role: str, agency: Agency | None = None, district=None, unit=None
) -> User:
    return User.objects.create_user(
        username=username,
        password="x-test-password-1",
        role=role,
        agency=agency,
        district=district,
        unit=unit,
        full_name=username,
    )


@pytest.fixture
def users(mini_plan) -> dict[str, User | None]:
    """One user per role (and None for anonymous), scoped like the demo accounts."""
    from scpvn.geo.models import District, Ward

    sct = Agency.objects.get(code="SCT")
    return {
        "anonymous": None,
        "city_admin": make_user("admin", Role.CITY_ADMIN, sct),
        "reviewer": make_user("reviewer", Role.REVIEWER, sct),
        "agency_officer": make_user("officer", Role.AGENCY_OFFICER, sct),
        "district_officer": make_user(
            "district", Role.DISTRICT_OFFICER, district=District.objects.get(code="006")
        ),
        "commune_officer": make_user(
            "commune",
            Role.COMMUNE_OFFICER,
            unit=Ward.objects.get(name="Phường Văn Miếu - Quốc Tử Giám").unit,
        ),
        "enterprise_user": make_user("enterprise", Role.ENTERPRISE_USER),
    }
