from django.db import migrations


def load(apps, schema_editor):
    # The installed province and its district and ward rows, which the first migrations of
    # other apps rely on; the whole tree follows in 0004 once its tables exist.
    from scpvn.geo.services import load_province_rows

    load_province_rows(apps)


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
