"""Agencies that exist because the administration does (one People's Committee per district),
as opposed to the ones a plan file names."""

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
