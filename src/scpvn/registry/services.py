"""Registry rules shared by every app that deals with enterprises and places."""

import csv
import json
from pathlib import Path

from django.apps import apps as global_apps
from django.db import transaction
from django.db.models import Q, QuerySet

from scpvn.geo.services import installed_province_code
from scpvn.orgs.access import is_city_wide, local_scope, user_has_role
from scpvn.orgs.roles import STAFF_ROLES, Role
from scpvn.registry.models import Enterprise, Place

DATA_DIR = Path(__file__).resolve().parent / "data"
VSIC_FILE = DATA_DIR / "vsic2018.csv"
# One file per province, named by its official 2025 code; the installed province's is loaded.
ZONES_DIR = DATA_DIR / "industrial_zones"


def enterprises_visible_to(user) -> QuerySet[Enterprise]:
    """City-wide roles and agency officers see every enterprise; a district or commune
    officer those on their unit (see `orgs.access.local_scope`); an enterprise user only the enterprises
    they are a member of."""
    if not user_has_role(user, STAFF_ROLES | {Role.ENTERPRISE_USER}):
        return Enterprise.objects.none()
    if is_city_wide(user) or user_has_role(user, {Role.AGENCY_OFFICER}):
        return Enterprise.objects.all()
    if user.role in (Role.DISTRICT_OFFICER, Role.COMMUNE_OFFICER):
        return Enterprise.objects.filter(local_scope(user))
    return Enterprise.objects.filter(members=user)


def places_visible_to(user) -> QuerySet[Place]:
    """Same scopes as enterprises: a place belongs to its district, and an enterprise user
    sees the places their enterprise operates."""
    if not user_has_role(user, STAFF_ROLES | {Role.ENTERPRISE_USER}):
        return Place.objects.none()
    if is_city_wide(user) or user_has_role(user, {Role.AGENCY_OFFICER}):
        return Place.objects.all()
    if user.role in (Role.DISTRICT_OFFICER, Role.COMMUNE_OFFICER):
        return Place.objects.filter(local_scope(user))
    return Place.objects.filter(Q(operator__members=user)).distinct()


@transaction.atomic
def load_reference_data(apps=global_apps) -> tuple[int, int]:
    """Create or update the VSIC 2018 codes and the installed province's industrial zones and
    clusters (none when no file is shipped for it).

    Takes an app registry so the data migration can pass its historical models; returns
    (VSIC codes, zones).
    """
    vsic_model = apps.get_model("registry", "VsicCode")
    zone_model = apps.get_model("registry", "IndustrialZone")
    district_model = apps.get_model("geo", "District")
    with VSIC_FILE.open(encoding="utf-8") as handle:
        rows = [
            vsic_model(
                code=row["code"],
                level=int(row["level"]),
                parent=row["parent"],
                name_vi=row["name_vi"],
                name_en=row["name_en"],
            )
            for row in csv.DictReader(handle)
        ]
    vsic_model.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["level", "parent", "name_vi", "name_en"],
    )
    districts = {d.code: d for d in district_model.objects.all()}
    zones_file = ZONES_DIR / f"{installed_province_code()}.json"
    zones = json.loads(zones_file.read_text(encoding="utf-8")) if zones_file.exists() else []
    for zone in zones:
        zone_model.objects.update_or_create(
            code=zone["code"],
            defaults={
                "name": zone["name"],
                "kind": zone["kind"],
                "district": districts[zone["district_code"]],
                "area_ha": zone.get("area_ha"),
                "status": zone.get("status") or "",
            },
        )
    return len(rows), len(zones)
