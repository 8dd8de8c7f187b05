from django.db import migrations


def create(apps, schema_editor):
    from scpvn.orgs.services import ensure_commune_agencies

    ensure_commune_agencies(apps)


class Migration(migrations.Migration):
    """Rows apart from the column that holds them: PostgreSQL cannot add the column's index
    in the transaction that has just written rows with deferred constraint checks."""

    dependencies = [("orgs", "0004_commune_agencies")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
