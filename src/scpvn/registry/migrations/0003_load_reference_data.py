from django.db import migrations


def load(apps, schema_editor):
    from scpvn.registry.services import load_reference_data

    load_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_places_zones_vsic_imports")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
