"""The EPCIS event table partitioned by year of record time (PostgreSQL only).

Why `record_time` and not `event_time`: the repository assigns it (the moment of capture),
so every capture writes into the newest partition only: its indexes are the only ones that
change, the GIN pending list and the planner's statistics of the older years stay as they
were, and a year can be detached or archived whole. It is what subscriptions and incremental
pulls filter on (`GE_recordTime`, `min_record_time`), which PostgreSQL prunes to one or two
partitions. `event_time` is the client's: a harvest recorded late or a wrong clock would
scatter writes over old years, and would need partitions made for any year at capture.

Why years and not months: most queries find their events through the identifier and field
links (`pk IN (…)`), which carry no record time, so every lookup by id probes one index per
partition. A few partitions keep that cheap; a year is about ten million events at the
national scale the partitioning is for.

- Rows whose year has no partition land in `trace_event_default`; `ensure_partitions`
  creates the missing years and moves such rows into them (a DEFAULT partition must hold no
  row of a range attached after it), then truncates the emptied DEFAULT partition (the moves
  leave dead index entries that every query would walk). It is called at capture for the capture's year (a
  catalog lookup when the year exists), by `scpvn epcis_partitions` (daily, to make next
  year's ahead of time) and by `maintenance.after_bulk_load`.
- A unique index of a partitioned table must contain the partition key, so "an eventID is
  recorded once, except by error declarations" is kept by `trace_event_id_claim` (one row
  per such eventID, primary key), written by statement triggers on the event table in the
  inserting transaction: COPY, the ORM and a restore alike, so a repeated eventID fails as
  it did with the partial unique index. The eventID and the error-declaration flag cannot
  be changed afterwards (a row trigger refuses), and deleting or truncating events releases
  their claims. `session_replication_role = replica` (a bulk load that turns triggers off)
  skips the claims: such a load must bring unique eventIDs itself.
"""

import contextlib
import datetime as dt
import re

from django.db import OperationalError, connection, transaction
from django.utils import timezone

TABLE = "trace_event"
DEFAULT_PARTITION = "trace_event_default"
CLAIMS = "trace_event_id_claim"
PARTITION_NAME = re.compile(r"^trace_event_y(\d{4})$")
# Serialises partition creation between processes (two captures at the turn of a year).
LOCK_KEY = 7_202_601

TRIGGERS_SQL = f"""
CREATE TABLE {CLAIMS} (event_id varchar(512) PRIMARY KEY);

CREATE FUNCTION trace_event_claim() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {CLAIMS} (event_id)
    SELECT event_id FROM inserted WHERE NOT has_error_declaration;
    RETURN NULL;
END $$;
CREATE TRIGGER trace_event_claim AFTER INSERT ON {TABLE}
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION trace_event_claim();

CREATE FUNCTION trace_event_release() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM {CLAIMS} c USING deleted d
    WHERE c.event_id = d.event_id AND NOT d.has_error_declaration;
    RETURN NULL;
END $$;
CREATE TRIGGER trace_event_release AFTER DELETE ON {TABLE}
    REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION trace_event_release();

CREATE FUNCTION trace_event_release_all() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE {CLAIMS};
    RETURN NULL;
END $$;
CREATE TRIGGER trace_event_release_all AFTER TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION trace_event_release_all();

CREATE FUNCTION trace_event_immutable_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the eventID of a recorded EPCIS event cannot change'
        USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER trace_event_immutable_id BEFORE UPDATE ON {TABLE} FOR EACH ROW
    WHEN (OLD.event_id IS DISTINCT FROM NEW.event_id
          OR OLD.has_error_declaration IS DISTINCT FROM NEW.has_error_declaration)
    EXECUTE FUNCTION trace_event_immutable_id();
"""
DROP_TRIGGERS_SQL = f"""
DROP TABLE IF EXISTS {CLAIMS};
DROP FUNCTION IF EXISTS trace_event_claim, trace_event_release, trace_event_release_all,
    trace_event_immutable_id CASCADE;
"""


def partition_name(year: int) -> str:
    return f"{TABLE}_y{year}"


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """A partition's range: from 1 January 00:00 UTC, to the next year's (exclusive)."""
    return dt.datetime(year, 1, 1, tzinfo=dt.UTC), dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC)


def partition_years(cursor) -> set[int] | None:
    """The years that have a partition of their own; None when the event table is not
    partitioned (SQLite, or before migration 0010). One catalog query."""
    cursor.execute(
        "SELECT c.relkind, array(SELECT p.relname::text FROM pg_inherits i "
        "JOIN pg_class p ON p.oid = i.inhrelid WHERE i.inhparent = c.oid) "
        "FROM pg_class c WHERE c.oid = to_regclass(%s)",
        [TABLE],
    )
    row = cursor.fetchone()
    if row is None or row[0] != "p":
        return None
    return {int(m.group(1)) for name in row[1] if (m := PARTITION_NAME.match(name))}


def create_partition(cursor, year: int) -> int:
    """The year's partition, with the rows of that year the DEFAULT partition holds moved into
    it first (PostgreSQL refuses a range that rows of the DEFAULT partition fall in). Built as a
    plain table then attached: attaching creates the parent's indexes and foreign keys on it.
    Returns how many rows moved."""
    name = partition_name(year)
    low, high = year_bounds(year)
    cursor.execute(f"CREATE TABLE {name} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
    cursor.execute(
        f"WITH moved AS (DELETE FROM {DEFAULT_PARTITION} "
        f"WHERE record_time >= %s AND record_time < %s RETURNING *) "
        f"INSERT INTO {name} SELECT * FROM moved",
        [low, high],
    )
    moved = cursor.rowcount
    cursor.execute(
        f"ALTER TABLE {TABLE} ATTACH PARTITION {name} FOR VALUES FROM (%s) TO (%s)", [low, high]
    )
    return moved


def _years_in_default(cursor) -> set[int]:
    cursor.execute(
        f"SELECT DISTINCT extract(year FROM record_time AT TIME ZONE 'UTC')::int "
        f"FROM {DEFAULT_PARTITION}"
    )
    return {year for (year,) in cursor.fetchall()}


def ensure_partitions(*moments: dt.datetime, with_default_rows: bool = False) -> list[str]:
    """Partitions for the years of `moments` (and, with `with_default_rows`, for every year
    that has rows in the DEFAULT partition), created where missing; returns the new ones'
    names. In the caller's transaction, under a lock that serialises creators; a no-op
    elsewhere than on a partitioned PostgreSQL table."""
    if connection.vendor != "postgresql":
        return []
    wanted = {moment.astimezone(dt.UTC).year for moment in moments}
    with connection.cursor() as cursor:
        years = partition_years(cursor)
    if years is None or (not with_default_rows and wanted <= years):
        return []  # the common case, at every capture: one catalog query
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        if with_default_rows:
            wanted |= _years_in_default(cursor)
        missing = sorted(wanted - partition_years(cursor))
        moved = sum(create_partition(cursor, year) for year in missing)
        if moved:  # at a capture or a daily run, when moving rows emptied it
            _truncate_emptied_default(cursor)
    return [partition_name(year) for year in missing]


def ensure_partitions_between(start: dt.datetime, end: dt.datetime) -> list[str]:
    """`ensure_partitions` for every year from `start`'s to `end`'s, before a bulk load that
    spans them: the rows go straight into their years, none through the DEFAULT partition."""
    first, last = (moment.astimezone(dt.UTC).year for moment in (start, end))
    return ensure_partitions(*(year_bounds(year)[0] for year in range(first, last + 1)))


def _truncate_emptied_default(cursor) -> None:
    """The DEFAULT partition, once every row has moved out of it, emptied for real: the
    moves are DELETEs, which leave its indexes full of dead entries until a VACUUM (which
    cannot run in a transaction). A query probes that partition's index for every event id
    it looks up; after 8 years of a 10,000,000-event load moved out, the planner walked its
    whole capture_id index (6,226 pages) on every query. TRUNCATE gives it new, empty files.
    It is not MVCC-safe: a transaction older than this one that reads the DEFAULT partition
    afterwards sees it empty; the rows it held are in their years' partitions, written by
    this transaction. Rows loaded into it by this same transaction still have foreign key
    checks waiting, which PostgreSQL will not truncate under: it is then left to VACUUM."""
    cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {DEFAULT_PARTITION})")
    if cursor.fetchone()[0]:
        return
    with contextlib.suppress(OperationalError), transaction.atomic():
        cursor.execute(f"TRUNCATE {DEFAULT_PARTITION}")


def ensure_ahead(now: dt.datetime | None = None) -> list[str]:
    """This year's and next year's partitions, and a partition for every year of rows left in
    the DEFAULT partition (a bulk load or a restore of older events)."""
    now = now or timezone.now()
    return ensure_partitions(now, now + dt.timedelta(days=366), with_default_rows=True)
