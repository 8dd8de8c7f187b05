"""OpenRosa receive: N market visits received one by one, against a bare insert of the same rows.

Runs at every size of the `openrosa_receive` ladder (`bench/sizes.py`), each on a fresh
throwaway database of each engine. Each visit is what ODK Collect sends for the test form of
`assessments/tests/xlsforms.py` (a place from the officer's list, a yes/no, numbers, a
multiple choice, a repeat of two stalls, a GPS point; no photo, so that file storage is not
what is measured), received by `openrosa.receive_submission`: the XML read, the instanceID
looked up, the form and version found in the officer's scope, the place checked, every answer
checked against its question, and the response, its answers and the submission record stored in
one transaction.

The baseline writes the very same rows (the response, its answers, the submission record, and
the history rows the models keep), one transaction per visit as a device's request would be,
with nothing read or checked: the cheapest a server could do to store them. The two take
turns, CHUNK visits each, so both meet tables of the same size and the machine's drift over
the minutes of a run falls on both alike (run one after the other, the 5,000-visit ratio on
SQLite read 1.89 in one run and 2.18 in the next, received at 4.2 and 5.4 ms a visit).
Aim: receiving takes at most twice the bare insert. The queries one more visit costs each
way (counted outside the timed loops) are printed beside the times: on PostgreSQL each is a
round trip, most of a visit's cost.
"""

import os
import time

from bench.results import record
from bench.sizes import ladder

N = int(os.environ.get("SCPVN_BENCH_OPENROSA_N", "10000"))
PLACES = 200
CHUNK = 250  # visits per turn of the bare insert and of receiving


def _setup():
    from scpvn.assessments.publishing import publish_form
    from scpvn.assessments.tests.xlsforms import workbook
    from scpvn.geo.models import District
    from scpvn.orgs.models import Agency, User
    from scpvn.orgs.roles import Role
    from scpvn.registry.models import Place

    agency = Agency.objects.create(code="BENCH", name="Sở thử", kind=Agency.Kind.DEPARTMENT)
    publisher = User.objects.create_user("bench.publisher", role=Role.AGENCY_OFFICER, agency=agency)
    district = District.objects.get(code="006")
    officer = User.objects.create_user(
        "bench.officer", role=Role.DISTRICT_OFFICER, district=district
    )
    places = Place.objects.bulk_create(
        Place(
            kind="market",
            name=f"Chợ thử {i}",
            district=district,
            latitude=21.02 + i / 10_000,
            longitude=105.83,
        )
        for i in range(PLACES)
    )
    return publish_form(publisher, workbook()), officer, places


def instance(form, place_pk: int, uuid: str, i: int) -> bytes:
    """What Collect posts as `xml_submission_file` for one visit."""
    return (
        f'<?xml version="1.0"?><data xmlns:orx="http://openrosa.org/xforms" '
        f'id="{form.form_id}" version="{form.version}">'
        f"<today>2026-11-30</today><start>2026-11-30T08:15:00.000+07:00</start>"
        f"<place>{place_pk}</place><tui_mien_phi>yes</tui_mien_phi><so_tui>{i % 97}</so_tui>"
        f"<kg_nilon>1.5</kg_nilon><gam_nilon>1500</gam_nilon><thay_the>giay vai</thay_the>"
        "<quay><ten_quay>Quầy 1</ten_quay><hop_xop>3</hop_xop></quay>"
        "<quay><ten_quay>Quầy 2</ten_quay><hop_xop>0</hop_xop></quay>"
        f"<gps>21.0285 105.8355 12.0 5.0</gps><anh/>"
        f"<meta><instanceID>{uuid}</instanceID></meta></data>"
    ).encode()


def bare_insert(template, places, n: int, tag: str = "bare") -> float:
    """The rows of `template` (a received submission) written `n` times, one transaction each."""
    from django.db import transaction
    from simple_history.utils import bulk_create_with_history

    from scpvn.assessments.models import Answer, Response, Submission

    response = template.response
    answers = list(Answer.objects.filter(response=response))
    response_fields = {
        f.attname: getattr(response, f.attname)
        for f in Response._meta.concrete_fields
        if not f.primary_key
    }
    submission_fields = {
        f.attname: getattr(template, f.attname)
        for f in Submission._meta.concrete_fields
        if not f.primary_key and f.attname != "response_id"
    }
    answer_fields = [
        {
            f.attname: getattr(a, f.attname)
            for f in Answer._meta.concrete_fields
            if not f.primary_key and f.attname != "response_id"
        }
        for a in answers
    ]
    start = time.perf_counter()
    for i in range(n):
        with transaction.atomic():
            row = Response.objects.create(**{**response_fields, "place_id": places[i % PLACES].pk})
            bulk_create_with_history(
                [Answer(response=row, **fields) for fields in answer_fields], Answer
            )
            Submission.objects.create(
                **{**submission_fields, "instance_id": f"uuid:{tag}-{i}"}, response=row
            )
    return time.perf_counter() - start


def measure() -> None:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from scpvn.assessments.models import Answer, Response, Submission
    from scpvn.assessments.openrosa import receive_submission

    form, officer, places = _setup()
    # One visit received first: the rows the baseline copies, and the caches warmed alike.
    template, created = receive_submission(
        officer, instance(form, places[0].pk, "uuid:template", 0), {}
    )
    assert created
    per_visit = Answer.objects.filter(response=template.response).count()

    baseline = elapsed = 0.0
    for first in range(0, N, CHUNK):
        count = min(CHUNK, N - first)
        baseline += bare_insert(template, places, count, tag=f"bare-{first}")
        xmls = [
            instance(form, places[i % PLACES].pk, f"uuid:visit-{i}", i)
            for i in range(first, first + count)
        ]
        start = time.perf_counter()
        for xml in xmls:
            receive_submission(officer, xml, {})
        elapsed += time.perf_counter() - start

    # The round trips of one more visit each way, outside the timed loops (the log emptied
    # first: full, it counts nothing new).
    reset_queries()
    with CaptureQueriesContext(connection) as bare_queries:
        bare_insert(template, places, 1, tag="counted")
    reset_queries()
    with CaptureQueriesContext(connection) as received_queries:
        receive_submission(officer, instance(form, places[1].pk, "uuid:counted", 1), {})

    assert Submission.objects.count() == Response.objects.count() == 2 * N + 3
    assert Answer.objects.count() == (2 * N + 3) * per_visit
    ratio = elapsed / baseline
    print(
        f"  {N:,} visits ({per_visit} answers each): bare insert {baseline:.2f} s, "
        f"received {elapsed:.2f} s ({elapsed / N * 1000:.2f} ms a visit)"
    )
    print(f"  queries a visit: bare insert {len(bare_queries)}, received {len(received_queries)}")
    print(f"  ratio received / bare insert: {ratio:.2f}× (aim ≤ 2×)", flush=True)
    record(
        "openrosa_receive",
        f"receive, {connection.vendor} (s)",  # one growth exponent per engine
        size=N,
        value=elapsed,
        unit="s",
        ratio=ratio,
        aim="≤ 2× bare insert",
    )


def run() -> None:
    from bench.throwaway import run_in_children

    for n in ladder("openrosa_receive"):
        os.environ["SCPVN_BENCH_OPENROSA_N"] = str(n)
        # SCPVN_BENCH_OPENROSA_ENGINE=SQLite (or PostgreSQL) measures on that engine only
        only = os.environ.get("SCPVN_BENCH_OPENROSA_ENGINE") or None
        run_in_children("bench.bench_openrosa_receive", only=only)
