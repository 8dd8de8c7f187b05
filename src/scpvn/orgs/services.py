"""Agencies that exist because the administration does (one People's Committee per district
before the 2025 reform, one per commune or ward since), as opposed to the ones a plan file
names."""

from django.apps import apps as global_apps


def ensure_district_agencies(apps=global_apps) -> int:
    """One agency per pre-2025 district, code `UBND-<GSO code>`; returns how many exist."""
    agency_model = apps.get_model("orgs", "Agency")
    district_model = apps.get_model("geo", "District")
    for district in district_model.objects.all():
        agency_model.objects.update_or_create(
            code=f"UBND-{district.code}",
            defaults={"name": f"UBND {district.name}", "kind": "district", "district": district},
        )
    return agency_model.objects.filter(kind="district", district__isnull=False).count()


def ensure_commune_agencies(apps=global_apps) -> int:
    """One agency per commune or ward of the installed province since 1 July 2025, code
    `UBND-<GSO code>` (five digits, so never a district's three), placed on its unit: the
    People's Committee a commune officer records work for. Returns how many exist."""
    agency_model = apps.get_model("orgs", "Agency")
    ward_model = apps.get_model("geo", "Ward")
    for ward in ward_model.objects.exclude(unit=None).select_related("unit"):
        agency_model.objects.update_or_create(
            code=f"UBND-{ward.unit.code}",
            defaults={"name": f"UBND {ward.name}", "kind": "commune", "unit": ward.unit},
        )
    return agency_model.objects.filter(kind="commune", unit__isnull=False).count()
