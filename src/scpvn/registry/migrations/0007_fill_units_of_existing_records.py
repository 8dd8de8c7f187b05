from django.db import migrations

from scpvn.geo.placing import fill_units


def fill(apps, schema_editor):
    """Records made on the district map get their district's unit (see geo.placing)."""
    fill_units(apps, "registry", "IndustrialZone")


class Migration(migrations.Migration):
    dependencies = [("registry", "0006_record_on_a_unit")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
