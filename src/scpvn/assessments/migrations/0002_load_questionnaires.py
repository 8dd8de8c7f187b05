from django.db import migrations


def load(apps, schema_editor):
    from scpvn.assessments.services import load_questionnaires

    load_questionnaires(apps)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
