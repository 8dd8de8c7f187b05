"""PostgreSQL index upkeep shared by the apps that bulk-load rows.

A GIN index created with `fastupdate` on (PostgreSQL's default) takes new entries into an
unsorted pending list that every search reads in full, and that makes the planner prefer a
table scan, until VACUUM, autoanalyze or `gin_clean_pending_list()` merges it; a manual
ANALYZE does not. Keeping `fastupdate` on is cheaper for the writes (entry by entry it was up
to eight times slower), so a bulk load ends by merging the list itself.
"""

from django.db import connection


def merge_gin_pending_list(index: str) -> None:
    """Merge the pending list of GIN index `index` into it; of a partitioned table's index,
    the list of each partition's index. Nothing on SQLite, or if the index does not exist."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT gin_clean_pending_list(c.oid) FROM pg_class c "
            "WHERE c.relkind = 'i' AND (c.oid = to_regclass(%s) OR c.oid IN "
            "(SELECT inhrelid FROM pg_inherits WHERE inhparent = to_regclass(%s)))",
            [index, index],
        )
