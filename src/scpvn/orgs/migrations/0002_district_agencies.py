from django.db import migrations


def create(apps, schema_editor):
    from scpvn.orgs.services import ensure_district_agencies

    ensure_district_agencies(apps)


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial"), ("geo", "0002_load_reference_data")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
