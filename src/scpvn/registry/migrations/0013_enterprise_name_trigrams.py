"""On PostgreSQL, a trigram GIN index on the upper-cased enterprise name, so the registry's
search (`EnterpriseFilterSet`: the name contains the words typed, case aside) reads the
index instead of every row: Django's `icontains` is `UPPER(name::text) LIKE UPPER('%…%')`,
which pg_trgm answers from an index on that same expression.

SQLite has neither GIN nor pg_trgm: nothing to do there, its search stays a plain scan. The
index is therefore not declared on the model (SQLite would be asked to build it when a later
migration rebuilds the table); this migration is its only definition."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS registry_enterprise_name_trgm"
            " ON registry_enterprise USING GIN (UPPER(name) gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS registry_enterprise_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("registry", "0012_enterprise_name_order_index")]

    # TrigramExtension does nothing on other engines
    operations = [TrigramExtension(), migrations.RunPython(create_index, drop_index)]
