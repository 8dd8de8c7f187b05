"""Keeping the EPCIS repository's indexes fast after a bulk load (PostgreSQL only).

After hundreds of thousands of rows arrive by COPY (`scpvn synth`, a restore, a very large
capture), three things make queries slow until autovacuum comes round, which on a busy
machine can be many minutes:

- The planner's statistics still describe the old table: a query on the flat rows or the
  links may then pick a sequential scan. `ANALYZE` refreshes them.
- The GIN index on `trace_event.epcs` (MATCH_anyEPC, migration 0002) keeps `fastupdate` on,
  so new entries wait in a pending list (up to `gin_pending_list_limit`, 4 MB by default)
  that every GIN search reads in full; the load ends by merging it
  (`core.indexes.merge_gin_pending_list`, which says why). Turning fastupdate off would make
  every capture's COPY update the GIN tree entry by entry, slower for the writes the
  repository mostly does.
- The event table is partitioned by year of record time (`partitions.py`): rows of a year
  without a partition sit in the DEFAULT partition, which every query then reads besides the
  pruned ones. So the load begins by making those years' partitions (moving the rows), and
  this year's and next year's ahead of time.

All of it runs inside the caller's transaction (none needs to be outside one, unlike VACUUM).
The GIN index of a partitioned table is one index per partition: each one's list is merged.
"""

from django.db import connection

from scpvn.core.indexes import merge_gin_pending_list
from scpvn.trace.partitions import ensure_ahead

TABLES = ("trace_event", "trace_eventepc", "trace_eventfield")
GIN_INDEXES = ("trace_event_epcs_gin",)


def after_bulk_load() -> None:
    """Partitions for every loaded year, fresh planner statistics for the event tables and
    empty GIN pending lists."""
    if connection.vendor != "postgresql":
        return
    ensure_ahead()
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"ANALYZE {table}")  # a partitioned table's partitions too
    for index in GIN_INDEXES:
        merge_gin_pending_list(index)
