from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    """Records made before the tree existed get its unit: the ward's if they have one,
    otherwise their old district's. Later records are placed by the services that make them."""
    ward_model = apps.get_model("geo", "Ward")
    district_model = apps.get_model("geo", "District")
    for name in ("Enterprise", "Place"):
        model = apps.get_model("registry", name)
        model.objects.filter(unit=None, ward__isnull=False).update(
            unit=Subquery(ward_model.objects.filter(pk=OuterRef("ward_id")).values("unit_id")[:1])
        )
        model.objects.filter(unit=None, district__isnull=False).update(
            unit=Subquery(
                district_model.objects.filter(pk=OuterRef("district_id")).values("unit_id")[:1]
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0004_enterprise_on_a_unit_district_optional"),
        ("geo", "0004_load_unit_tree"),
    ]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
