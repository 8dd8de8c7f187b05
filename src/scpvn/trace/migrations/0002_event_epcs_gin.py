"""On PostgreSQL, a GIN index on the canonical identifiers of each event (jsonb_path_ops:
containment `epcs @> '["…"]'` for MATCH_anyEPC). SQLite has no GIN: nothing to do there."""

from django.db import migrations


def create_gin(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS trace_event_epcs_gin ON trace_event USING GIN (epcs jsonb_path_ops)"
        )


def drop_gin(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS trace_event_epcs_gin")


class Migration(migrations.Migration):
    dependencies = [("trace", "0001_initial")]

    operations = [migrations.RunPython(create_gin, drop_gin)]
