"""Worker for bench_trace's PostgreSQL part, run in a subprocess whose DATABASE_URL points
at a throwaway database: `python -m bench.trace_pg capture N` or `... query N`; prints JSON."""

import datetime as dt
import io
import json
import statistics
import sys
import time

import django

SINGLES = 300  # single-event captures timed after the documents
CLIENTS = 4  # clients sending single events at once: one gunicorn worker's threads


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


EVENT_COLUMNS = (
    "id", "event_id", "event_type", "action", "biz_step", "disposition", "read_point",
    "biz_location", "event_time", "event_time_zone_offset", "record_time", "capture_id",
    "document", "epcs", "has_error_declaration", "declared_in_error",
)  # fmt: skip
LINK_COLUMNS = ("id", "event_id", "role", "uri", "gtin", "lot", "serial", "gln")


def _copy_out(cur, table: str, columns: tuple[str, ...], first: int, last: int) -> bytes:
    """The stored rows of the events `first`..`last` (by id), as COPY text."""
    key = "id" if table == "trace_event" else "event_id"
    out = bytearray()
    with cur.copy(
        f"COPY (SELECT {', '.join(columns)} FROM {table} WHERE {key} BETWEEN {first} AND {last}"
        f" ORDER BY id) TO STDOUT"
    ) as copy:
        for block in copy:
            out += block
    return bytes(out)


def bench_capture(n: int) -> dict:
    """`n` events captured as documents of 1,000 events, against a bare COPY of the same
    event and identifier-link rows (as the capture stored them), 1,000 events per
    transaction. Both are timed to their commit."""
    from django.db import connection

    from scpvn.core.startup import freeze_loaded_objects
    from scpvn.trace.batching import BATCH_LIMIT
    from scpvn.trace.capture import capture_document
    from scpvn.trace.models import Capture, Event

    freeze_loaded_objects()  # as the app server does once loaded (scpvn/wsgi.py)
    events = make_events(n)
    # Warm-up: the compiled schema check is built once per process, not per capture.
    capture_document(None, document(make_events(1, start=n)))
    t = time.perf_counter()
    for i in range(0, n, 1000):
        capture_document(None, document(events[i : i + 1000]))
    capture_s = time.perf_counter() - t
    stored = sorted(Event.objects.values_list("id", flat=True))[1:]  # without the warm-up
    assert len(stored) == n, (len(stored), n)
    chunks = [stored[i : i + 1000] for i in range(0, n, 1000)]
    raw = connection.connection  # psycopg's own connection, which speaks COPY
    with raw.cursor() as cur:
        dumps = [
            (
                _copy_out(cur, "trace_event", EVENT_COLUMNS, ids[0], ids[-1]),
                _copy_out(cur, "trace_eventepc", LINK_COLUMNS, ids[0], ids[-1]),
            )
            for ids in chunks
        ]
        links = sum(d[1].count(b"\n") for d in dumps)
        cur.execute("TRUNCATE trace_eventepc, trace_event CASCADE")
    t = time.perf_counter()
    for events_text, links_text in dumps:
        with raw.transaction(), raw.cursor() as cur:
            with cur.copy(f"COPY trace_event ({', '.join(EVENT_COLUMNS)}) FROM STDIN") as copy:
                copy.write(events_text)
            with cur.copy(f"COPY trace_eventepc ({', '.join(LINK_COLUMNS)}) FROM STDIN") as copy:
                copy.write(links_text)
    copy_s = time.perf_counter() - t
    assert Event.objects.count() == n and Capture.objects.exists()
    # One event a capture, as POST /epcis/events takes them: what a client sending many
    # single events pays per event for not batching them into documents.
    singles = make_events(SINGLES, start=2 * n)
    t = time.perf_counter()
    for event in singles:
        capture_document(None, document([event]))
    single_s = time.perf_counter() - t
    alone_eps = concurrent_singles(limit=1, start=3 * n)
    batched_eps = concurrent_singles(limit=BATCH_LIMIT, start=4 * n)
    return {
        "events": n, "links": links, "capture_eps": n / capture_s, "bulk_eps": n / copy_s,
        "single_eps": SINGLES / single_s, "clients": CLIENTS,
        "concurrent_alone_eps": alone_eps, "concurrent_batched_eps": batched_eps,
    }  # fmt: skip


def concurrent_singles(limit: int, start: int) -> float:
    """Events/s when CLIENTS threads each capture SINGLES // CLIENTS single events at once,
    through the request path's batcher (`trace.batching`): `limit=1` captures each alone,
    as before batching, the baseline; the default groups those that queue meanwhile."""
    import threading

    from django.db import connection

    from scpvn.trace.batching import SingleEventBatcher

    batcher = SingleEventBatcher(limit=limit)
    each = SINGLES // CLIENTS
    ready = threading.Barrier(CLIENTS + 1)

    def client(k: int) -> None:
        try:
            ready.wait()
            for event in make_events(each, start=start + k * each):
                batcher.capture(None, document([event]))
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(k,)) for k in range(CLIENTS)]
    for thread in threads:
        thread.start()
    ready.wait()
    t = time.perf_counter()
    for thread in threads:
        thread.join()
    return CLIENTS * each / (time.perf_counter() - t)


def populate(total: int) -> None:
    """Fill the repository fast with COPY (this measures queries, not capture)."""
    from django.db import connection

    from scpvn.trace.maintenance import after_bulk_load
    from scpvn.trace.models import Capture, Event
    from scpvn.trace.partitions import ensure_partitions_between

    have = Event.objects.count()
    if have >= total:
        return
    capture = Capture.objects.create(state="success")
    base = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    # the partitions of the years the record times span (30 s apart), made before the rows
    ensure_partitions_between(base, base + dt.timedelta(seconds=30 * total))
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
    # as every bulk load ends: the GIN pending list held every loaded event (read in full by
    # each MATCH_anyEPC query, which then grew with the load), and fresh statistics
    after_bulk_load()


def bench_query(total: int) -> dict:
    from django.http import QueryDict

    from scpvn.trace.repository import Scope, page_of_events

    populate(total)
    probe = total // 2
    # a day of events (populate spaces them 30 s apart) around the probe, at every size
    day = dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=30 * probe)
    half = dt.timedelta(hours=12)
    queries = {
        "MATCH_epc": f"MATCH_epc=https://id.gs1.org/01/08930001001015/21/B{probe}",
        "MATCH_anyEPC (GIN)": f"MATCH_anyEPC=https://id.gs1.org/01/08930001001015/21/B{probe}",
        "MATCH_epcClass": f"MATCH_epcClass=https://id.gs1.org/01/08930001001015/10/L{probe // 50}",
        "EQ_bizStep+time window": f"EQ_bizStep=shipping&GE_eventTime={day - half:%Y-%m-%dT%H:%M:%SZ}"
        f"&LT_eventTime={day + half:%Y-%m-%dT%H:%M:%SZ}",
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
