"""Worker for bench_trace's PostgreSQL part, run in a subprocess whose DATABASE_URL points
at a throwaway database: `python -m bench.trace_pg capture N` or `... query N`; prints JSON."""

import datetime as dt
import io
import json
import statistics
import sys
import time

import django


def make_events(n: int, start: int = 0) -> list[dict]:
    base = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    steps = ["commissioning", "shipping", "receiving", "retail_selling"]
    return [
        {
            "type": "ObjectEvent",
            "action": "OBSERVE",
            "bizStep": steps[i % 4],
            "epcList": [f"https://id.gs1.org/01/08930001001015/21/B{i}"],
            "quantityList": [
                {"epcClass": f"https://id.gs1.org/01/08930001001015/10/L{i // 50}", "quantity": 5.0}
            ],
            "eventTime": (base + dt.timedelta(minutes=i)).isoformat(),
            "eventTimeZoneOffset": "+00:00",
            "readPoint": {"id": "https://id.gs1.org/414/8930001000018"},
        }
        for i in range(start, start + n)
    ]


def document(events: list[dict]) -> dict:
    return {"@context": [], "type": "EPCISDocument", "schemaVersion": "2.0",
            "creationDate": "2026-01-01T00:00:00Z", "epcisBody": {"eventList": events}}  # fmt: skip


def bench_capture(n: int) -> dict:
    from django.db import connection

    from scpvn.trace.capture import capture_document
    from scpvn.trace.eventhash import event_hash_id
    from scpvn.trace.models import Capture, Event

    events = make_events(n)
    # Warm-up: the compiled schema check is built once per process, not per capture.
    capture_document(None, document(make_events(1, start=n)))
    t = time.perf_counter()
    for i in range(0, n, 1000):
        capture_document(None, document(events[i : i + 1000]))
    capture_s = time.perf_counter() - t
    with connection.cursor() as cur:
        cur.execute("TRUNCATE trace_eventepc, trace_event, trace_capture CASCADE")
    capture = Capture.objects.create(state="success")
    now = dt.datetime.now(dt.UTC)
    rows = [
        Event(event_id=f"urn:uuid:bench-{i}", event_type="ObjectEvent", event_time=now,
              event_time_zone_offset="+00:00", record_time=now, capture=capture, document=e)
        for i, e in enumerate(events)
    ]  # fmt: skip
    t = time.perf_counter()
    Event.objects.bulk_create(rows, batch_size=1000)
    bulk_s = time.perf_counter() - t
    assert event_hash_id(events[0])
    return {"events": n, "capture_eps": n / capture_s, "bulk_eps": n / bulk_s}


def populate(total: int) -> None:
    """Fill the repository fast with COPY (this measures queries, not capture)."""
    from django.db import connection

    from scpvn.trace.models import Capture, Event

    have = Event.objects.count()
    if have >= total:
        return
    capture = Capture.objects.create(state="success")
    base = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    steps = ["commissioning", "shipping", "receiving", "retail_selling"]
    chunk = 100_000
    with connection.cursor() as cur:
        raw = cur.connection
        for start in range(have, total, chunk):
            end = min(total, start + chunk)
            events, links = io.StringIO(), io.StringIO()
            for i in range(start, end):
                epc = f"https://id.gs1.org/01/08930001001015/21/B{i}"
                lot = f"https://id.gs1.org/01/08930001001015/10/L{i // 50}"
                doc = json.dumps(
                    {"type": "ObjectEvent", "eventID": f"urn:uuid:p-{i}", "epcList": [epc]}
                )
                when = (base + dt.timedelta(seconds=30 * i)).isoformat()
                events.write(
                    f"{i + 1}\turn:uuid:p-{i}\tObjectEvent\tOBSERVE\t{steps[i % 4]}\t\t"
                    f"https://id.gs1.org/414/8930001000018\t\t{when}\t+00:00\t{when}\t{capture.pk}\t"
                    f"{doc}\t{json.dumps([epc, lot])}\tf\tf\n"
                )
                links.write(f"{2 * i + 1}\t{i + 1}\tepc\t{epc}\t08930001001015\t\tB{i}\t\n")
                links.write(
                    f"{2 * i + 2}\t{i + 1}\tepc_class\t{lot}\t08930001001015\tL{i // 50}\t\t\n"
                )
            with raw.cursor() as c:
                with c.copy(
                    "COPY trace_event (id, event_id, event_type, action, biz_step, disposition, read_point,"
                    " biz_location, event_time, event_time_zone_offset, record_time, capture_id, document,"
                    " epcs, has_error_declaration, declared_in_error) FROM STDIN"
                ) as copy:
                    copy.write(events.getvalue())
                with c.copy(
                    "COPY trace_eventepc (id, event_id, role, uri, gtin, lot, serial, gln) FROM STDIN"
                ) as copy:
                    copy.write(links.getvalue())
        cur.execute("SELECT setval('trace_event_id_seq', (SELECT max(id) FROM trace_event))")
        cur.execute("SELECT setval('trace_eventepc_id_seq', (SELECT max(id) FROM trace_eventepc))")
        cur.execute("ANALYZE trace_event")
        cur.execute("ANALYZE trace_eventepc")


def bench_query(total: int) -> dict:
    from django.http import QueryDict

    from scpvn.trace.repository import Scope, page_of_events

    populate(total)
    probe = total // 2
    queries = {
        "MATCH_epc": f"MATCH_epc=https://id.gs1.org/01/08930001001015/21/B{probe}",
        "MATCH_anyEPC (GIN)": f"MATCH_anyEPC=https://id.gs1.org/01/08930001001015/21/B{probe}",
        "MATCH_epcClass": f"MATCH_epcClass=https://id.gs1.org/01/08930001001015/10/L{probe // 50}",
        "EQ_bizStep+time window": "EQ_bizStep=shipping&GE_eventTime=2026-01-02T00:00:00Z&LT_eventTime=2026-01-03T00:00:00Z",
        "first page (30)": "",
    }
    out = {}
    for name, query in queries.items():
        params = QueryDict(query)
        timings = []
        for _ in range(30):
            t = time.perf_counter()
            events, _token = page_of_events(params, Scope())
            timings.append(time.perf_counter() - t)
            assert events
        out[name] = statistics.median(timings) * 1000
    return out


def main() -> None:
    django.setup()
    what, n = sys.argv[1], int(sys.argv[2])
    result = bench_capture(n) if what == "capture" else bench_query(n)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
