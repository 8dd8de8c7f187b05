"""Worker for bench_trace_ext, run in a subprocess whose DATABASE_URL points at a throwaway
PostgreSQL database: `python -m bench.trace_ext_pg N [plans-file]` fills the repository up to
N events with COPY (keeping what an earlier, smaller size stored) and prints the query
timings as JSON.

The events are what a province's cold chain sends: an ObjectEvent per serialised item, with
user extension fields (a temperature reading, a delivery note number, a logger device nested
in an extension object) and, on each lot's commissioning event, ILMD (the farm plot and
harvest date). The flat query rows are made by `eventfields.event_fields`, the function
capture itself calls, so the benchmark queries exactly what a capture would have stored.

Distribution, chosen so that the number of events each query matches does not grow with the
repository (the growth exponent then measures the indexes, not the size of the answer):
- 50 events a lot; the lot's first event is its commissioning, with ILMD;
- one store (a GLN with four sub-locations, `/254/1..4`) per 1,000 events, as a province
  grows by adding shops and farms, so WD_bizLocation of a store matches about 1,000 events;
- a delivery note (text) per 2 events, a purchase order (a JSON number, so looked up as
  text or number) per 10 events, a temperature logger per 20 events;
- temperatures around 4 °C (σ 1.5, one decimal: about 100 distinct values, so
  EQ_example:temperature matches ~1 % of all events and does grow with the repository);
- events 30 s apart from 2026-01-01.
"""

import datetime as dt
import json
import random
import statistics
import sys
import time

import django

EXAMPLE = "https://ns.example.com/epcis/"
CONTEXT = [{"example": EXAMPLE}, "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"]
BASE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
LOT_SIZE = 50
LOTS_PER_PRODUCT = 400
EVENTS_PER_STORE = 1000
STEPS = ["shipping", "receiving", "retail_selling", "storing"]
CBV = "https://ref.gs1.org/cbv/BizStep-"
CHUNK = 50_000
ORDER_BASE = 4_500_000_000  # purchase order numbers, JSON numbers
TEMPERATURES = 997  # a table of readings, picked by a stride through it
RUNS = 25  # timed runs of each query (after 3 warm-ups), interleaved across the queries


def _gtin(lot: int) -> str:
    from scpvn.trace.identifiers import with_check_digit

    return with_check_digit(f"0893{7_000_000 + lot // LOTS_PER_PRODUCT:09d}")


def _store(i: int) -> str:
    from scpvn.trace.identifiers import with_check_digit

    return with_check_digit(f"893{8_000_000 + i // EVENTS_PER_STORE:09d}")


def temperature(n: int) -> float:
    """The n-th reading of the table events pick from (event i takes i·7919 mod 997)."""
    return round(random.Random(n).gauss(4.0, 1.5), 1)


def event(i: int) -> dict:
    """The i-th event's document, as capture stores it (eventID and recordTime included)."""
    from scpvn.trace.identifiers import gln_uri, gtin_uri

    lot, k = divmod(i, LOT_SIZE)
    gtin = _gtin(lot)
    when = (BASE + dt.timedelta(seconds=30 * i)).isoformat().replace("+00:00", "Z")
    place = gln_uri(_store(i), str(1 + i % 4))
    body = {
        "type": "ObjectEvent",
        "eventID": f"urn:uuid:00000000-0000-4000-8000-{i:012d}",
        "action": "ADD" if k == 0 else "OBSERVE",
        "bizStep": CBV + ("commissioning" if k == 0 else STEPS[k % 4]),
        "eventTime": when,
        "eventTimeZoneOffset": "+07:00",
        "recordTime": when,
        "epcList": [gtin_uri(gtin, serial=f"S{i}")],
        "readPoint": {"id": place},
        "bizLocation": {"id": place},
        "example:temperature": temperature(i * 7919 % TEMPERATURES),
        "example:deliveryNote": f"PX-{i // 2:08d}",
        "example:orderNumber": ORDER_BASE + i // 10,
        "example:logger": {"example:deviceSerial": f"TL-{i // 20:07d}", "example:battery": 87},
    }
    if k == 0:
        body["ilmd"] = {
            "example:farmPlot": f"VG-{lot:07d}",
            "example:harvestDate": (BASE + dt.timedelta(seconds=30 * i)).date().isoformat(),
        }
    return body


def _setup_tables(cur, total: int) -> None:
    """Temporary tables of the products' GTINs and the stores' GLNs (check digits computed
    here, once per key) and of the temperature readings."""
    cur.execute("CREATE TEMP TABLE IF NOT EXISTS bench_gtin (n int PRIMARY KEY, gtin text)")
    cur.execute("CREATE TEMP TABLE IF NOT EXISTS bench_store (n int PRIMARY KEY, gln text)")
    cur.execute("CREATE TEMP TABLE IF NOT EXISTS bench_temp (n int PRIMARY KEY, t numeric)")
    cur.execute("TRUNCATE bench_gtin, bench_store, bench_temp")
    products = range(total // (LOT_SIZE * LOTS_PER_PRODUCT) + 1)
    cur.executemany(
        "INSERT INTO bench_gtin VALUES (%s, %s)",
        [(n, _gtin(n * LOTS_PER_PRODUCT)) for n in products],
    )
    stores = range(total // EVENTS_PER_STORE + 1)
    cur.executemany(
        "INSERT INTO bench_store VALUES (%s, %s)",
        [(n, _store(n * EVENTS_PER_STORE)) for n in stores],
    )
    cur.executemany(
        "INSERT INTO bench_temp VALUES (%s, %s)", [(n, temperature(n)) for n in range(TEMPERATURES)]
    )


# One row per event i of the chunk, with the values every table needs.
EVENT_ROWS = f"""
    SELECT i, i + 1 AS pk, mod(i, {LOT_SIZE}) AS k, i / {LOT_SIZE} AS lot,
           'https://id.gs1.org/01/' || g.gtin || '/21/S' || i AS epc, g.gtin,
           'https://id.gs1.org/414/' || s.gln || '/254/' || (1 + mod(i, 4)) AS place, s.gln,
           '2026-01-01T00:00:00Z'::timestamptz + i * interval '30 seconds' AS t,
           to_char(('2026-01-01T00:00:00Z'::timestamptz + i * interval '30 seconds')
                   AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS ts,
           tt.t AS temperature
    FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS i
    JOIN bench_gtin g ON g.n = i / {LOT_SIZE * LOTS_PER_PRODUCT}
    JOIN bench_store s ON s.n = i / {EVENTS_PER_STORE}
    JOIN bench_temp tt ON tt.n = mod(i * 7919, {TEMPERATURES})
"""
STEP_SQL = (
    "CASE WHEN k = 0 THEN 'commissioning' ELSE (ARRAY["
    + ", ".join(f"'{s}'" for s in STEPS)
    + "])[mod(k, 4) + 1] END"
)
INSERT_EVENTS = f"""
INSERT INTO trace_event (id, event_id, event_type, action, biz_step, disposition, read_point,
    biz_location, event_time, event_time_zone_offset, record_time, capture_id, document, epcs,
    has_error_declaration, declared_in_error)
SELECT pk, doc->>'eventID', 'ObjectEvent', doc->>'action', step, '', place, place, t, '+07:00',
       t, %(capture)s, doc, jsonb_build_array(epc, place), false, false
FROM (
    SELECT e.*, {STEP_SQL} AS step,
        jsonb_build_object(
            'type', 'ObjectEvent',
            'eventID', 'urn:uuid:00000000-0000-4000-8000-' || lpad(i::text, 12, '0'),
            'action', CASE WHEN k = 0 THEN 'ADD' ELSE 'OBSERVE' END,
            'bizStep', '{CBV}' || {STEP_SQL},
            'eventTime', ts, 'eventTimeZoneOffset', '+07:00', 'recordTime', ts,
            'epcList', jsonb_build_array(epc),
            'readPoint', jsonb_build_object('id', place),
            'bizLocation', jsonb_build_object('id', place),
            'example:temperature', temperature,
            'example:deliveryNote', 'PX-' || lpad((i / 2)::text, 8, '0'),
            'example:orderNumber', {ORDER_BASE} + i / 10,
            'example:logger', jsonb_build_object(
                'example:deviceSerial', 'TL-' || lpad((i / 20)::text, 7, '0'),
                'example:battery', 87)
        ) || CASE WHEN k = 0 THEN jsonb_build_object('ilmd', jsonb_build_object(
                'example:farmPlot', 'VG-' || lpad(lot::text, 7, '0'),
                'example:harvestDate', to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD')))
            ELSE '{{}}'::jsonb END AS doc
    FROM ({EVENT_ROWS}) e
) x
"""
INSERT_LINKS = f"""
INSERT INTO trace_eventepc (event_id, role, uri, gtin, lot, serial, gln)
SELECT pk, r.role, r.uri, r.gtin, '', r.serial, r.gln
FROM ({EVENT_ROWS}) e
CROSS JOIN LATERAL (VALUES ('epc', epc, e.gtin, 'S' || i, ''),
                           ('read_point', place, '', '', e.gln),
                           ('biz_location', place, '', '', e.gln)) AS r(role, uri, gtin, serial, gln)
"""
EXT = "ext||" + EXAMPLE
INSERT_FIELDS = f"""
INSERT INTO trace_eventfield (event_id, name, text, number)
SELECT pk, f.name, f.text, f.number
FROM ({EVENT_ROWS}) e
CROSS JOIN LATERAL (VALUES
    ('{EXT}temperature',
     CASE WHEN temperature = trunc(temperature) THEN trunc(temperature)::text
          ELSE temperature::text END, temperature::float8),
    ('{EXT}deliveryNote', 'PX-' || lpad((i / 2)::text, 8, '0'), NULL),
    ('{EXT}orderNumber', ({ORDER_BASE} + i / 10)::text, ({ORDER_BASE} + i / 10)::float8),
    ('{EXT}logger', '', NULL),
    ('ext|INNER_|{EXAMPLE}deviceSerial', 'TL-' || lpad((i / 20)::text, 7, '0'), NULL),
    ('ext|INNER_|{EXAMPLE}battery', '87', 87),
    ('ext|ILMD_|{EXAMPLE}farmPlot', CASE WHEN k = 0 THEN 'VG-' || lpad(lot::text, 7, '0') END, NULL),
    ('ext|ILMD_|{EXAMPLE}harvestDate', CASE WHEN k = 0 THEN to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD') END, NULL)
) AS f(name, text, number)
WHERE f.text IS NOT NULL
"""


def _secondary_indexes(cur) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of every index of the event tables but the primary keys.
    An index of the partitioned event table reads `ON ONLY`, which would make it for the
    table alone: without ONLY it is made on every partition too."""
    cur.execute(
        "SELECT indexname, replace(indexdef, ' ON ONLY ', ' ON ') FROM pg_indexes "
        "WHERE tablename = ANY(%s) AND indexname NOT LIKE '%%_pkey'",
        [list(TABLES)],
    )
    return cur.fetchall()


TABLES = ("trace_event", "trace_eventepc", "trace_eventfield")


def populate(total: int) -> float:
    """Fill the repository up to `total` events, generated by PostgreSQL itself
    (INSERT … SELECT over generate_series: no row crosses the wire, the fastest bulk path, as
    pg_restore does it: secondary indexes dropped and rebuilt after, triggers off for the load:
    the foreign keys' and the eventID claims', the eventIDs being unique by construction).
    Then ANALYZE and an empty GIN pending list (`trace.maintenance`).
    `check_rows` proves the stored rows are what capture would have written. Returns the
    seconds taken."""
    from django.db import connection

    from scpvn.trace.maintenance import after_bulk_load
    from scpvn.trace.models import Capture, Event, ExtensionPrefix
    from scpvn.trace.partitions import ensure_partitions_between

    started = time.perf_counter()
    have = Event.objects.count()
    if have >= total:
        return 0.0
    capture = Capture.objects.filter(state="success").first() or Capture.objects.create(
        state="success", context=CONTEXT
    )
    ExtensionPrefix.objects.get_or_create(prefix="example", iri=EXAMPLE)
    # the partitions of the years the record times span, made before the rows arrive
    ensure_partitions_between(BASE, BASE + dt.timedelta(seconds=30 * total))
    raw = connection.connection
    with raw.transaction(), raw.cursor() as cur:
        _setup_tables(cur, total)
        indexes = _secondary_indexes(cur)
        for name, _sql in indexes:
            cur.execute(f'DROP INDEX "{name}"')
        cur.execute("SET LOCAL session_replication_role = replica")  # no FK triggers
        cur.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for first in range(have, total, CHUNK):
            bounds = {"first": first, "last": min(total, first + CHUNK) - 1, "capture": capture.pk}
            for sql in (INSERT_EVENTS, INSERT_LINKS, INSERT_FIELDS):
                cur.execute(sql, bounds)
            print(f"    {bounds['last'] + 1:>10,} events", file=sys.stderr, flush=True)
        cur.execute("SET LOCAL session_replication_role = origin")
        for _name, sql in indexes:
            cur.execute(sql)
        for table in TABLES:
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
    after_bulk_load()
    check_rows(total)
    return time.perf_counter() - started


def check_rows(total: int) -> None:
    """The generated rows of a few events equal what capture would store for their
    documents: the flat query rows by `event_fields`, the links by the identifier parser."""
    from scpvn.trace.eventfields import event_fields
    from scpvn.trace.identifiers import parse_identifier, parse_location
    from scpvn.trace.models import Event

    for i in sorted({0, 1, 49, 50, total // 2, total - 1}):
        stored = Event.objects.get(pk=i + 1)
        assert stored.document == event(i), (stored.document, event(i))
        fields = sorted(stored.fields.values_list("name", "text", "number"))
        assert fields == sorted(event_fields(stored.document, CONTEXT)), (i, fields)
        epc = parse_identifier(stored.document["epcList"][0])
        place = parse_location(stored.document["bizLocation"]["id"])
        links = sorted(
            stored.identifiers.values_list("role", "uri", "gtin", "lot", "serial", "gln")
        )
        expected = [
            (role, k.uri, k.gtin, k.lot, k.serial, k.gln)
            for role, k in (("epc", epc), ("read_point", place), ("biz_location", place))
        ]
        assert links == sorted(expected), (links, expected)
        assert stored.epcs == sorted([epc.uri, place.uri]) and stored.biz_location == place.uri


def queries(total: int) -> dict[str, str]:
    """The measured queries, each about the event in the middle of the repository."""
    from scpvn.trace.identifiers import gln_uri, gtin_uri

    probe = total // 2
    body = event(probe)
    lot = probe // LOT_SIZE
    hour = BASE + dt.timedelta(seconds=30 * probe)
    return {
        "MATCH_epc": f"MATCH_epc={body['epcList'][0]}",
        "EQ_example:deliveryNote": f"EQ_example:deliveryNote={body['example:deliveryNote']}",
        "EQ_example:orderNumber (a number)": "EQ_example:orderNumber="
        + str(body["example:orderNumber"]),
        "EQ_ILMD_example:farmPlot": f"EQ_ILMD_example:farmPlot=VG-{lot:07d}",
        "EQ_INNER_example:deviceSerial": "EQ_INNER_example:deviceSerial="
        + body["example:logger"]["example:deviceSerial"],
        "GE_eventTime (1 h window)": f"GE_eventTime={hour:%Y-%m-%dT%H:%M:%SZ}"
        f"&LT_eventTime={hour + dt.timedelta(hours=1):%Y-%m-%dT%H:%M:%SZ}",
        "WD_bizLocation (store)": f"WD_bizLocation={gln_uri(_store(probe))}",
        "MATCH_anyEPC (GIN)": f"MATCH_anyEPC={gtin_uri(_gtin(lot), serial=f'S{probe}')}",
        "EQ_example:temperature (~1 %)": "EQ_example:temperature=4.0",
    }


def explain(query: str, *, as_json: bool = False):
    """EXPLAIN (ANALYZE, BUFFERS) of the page query the repository runs for `query`: the
    text, or with `as_json` the plan's root node."""
    from django.db import connection
    from django.http import QueryDict

    from scpvn.trace.repository import Scope, filter_events

    events = filter_events(QueryDict(query), Scope()).select_related("capture")[:31]
    sql, params = events.query.sql_with_params()
    with connection.cursor() as cur:
        form = ", FORMAT JSON" if as_json else ""
        cur.execute(f"EXPLAIN (ANALYZE, BUFFERS{form}) {sql}", params)
        rows = cur.fetchall()
    if as_json:
        plan = rows[0][0]
        return (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]
    return "\n".join(row[0] for row in rows)


def pages_read(query: str) -> int:
    """Buffer pages the query's plan touches (hit or read), warm: the work the indexes do,
    which unlike time does not depend on what else runs on the machine."""
    plan = explain(query, as_json=True)
    return plan["Shared Hit Blocks"] + plan["Shared Read Blocks"]


def measure(total: int, plans: str | None) -> dict:
    from django.http import QueryDict

    from scpvn.trace.repository import Scope, page_of_events

    loaded = populate(total)
    asked = {name: QueryDict(q) for name, q in queries(total).items()}
    timings: dict[str, list[float]] = {name: [] for name in asked}
    counts = {}
    for run in range(3 + RUNS):
        for name, params in asked.items():
            t = time.perf_counter()
            events, _token = page_of_events(params, Scope())
            took = time.perf_counter() - t
            if run >= 3:
                timings[name].append(took)
            counts[name] = len(events)
    if plans:
        with open(plans, "w", encoding="utf-8") as out:
            for name, query in queries(total).items():
                out.write(f"## {name} at {total:,} events\n\n`{query}`\n\n```\n")
                out.write(explain(query) + "\n```\n\n")
    return {
        "load_s": loaded,
        "pages": {name: pages_read(query) for name, query in queries(total).items()},
        "ms": {name: statistics.median(t) * 1000 for name, t in timings.items()},
        "events": counts,
    }


def main() -> None:
    django.setup()
    total = int(sys.argv[1])
    print(json.dumps(measure(total, sys.argv[2] if len(sys.argv) > 2 else None)))


if __name__ == "__main__":
    main()
