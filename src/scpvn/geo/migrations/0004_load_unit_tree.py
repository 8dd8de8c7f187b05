from django.db import migrations


def load(apps, schema_editor):
    # The whole country's tree and conversion table, then the installed province's rows again
    # (moving ward rows stored under draft codes to the official ones) linked to the tree.
    from scpvn.geo.services import load_reference_data

    load_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("geo", "0003_unit_tree_and_conversion_table")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
