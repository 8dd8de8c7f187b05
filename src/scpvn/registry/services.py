"""Registry rules shared by every app that deals with enterprises and places."""

import csv
import json
from pathlib import Path

from django.apps import apps as global_apps
from django.db import transaction
from django.db.models import QuerySet

from scpvn.orgs.policy import restrict
from scpvn.registry.models import Enterprise, Place

DATA_DIR = Path(__file__).resolve().parent / "data"
VSIC_FILE = DATA_DIR / "vsic2018.csv"
ZONES_FILE = DATA_DIR / "hanoi_industrial_zones.json"


def enterprises_visible_to(user) -> QuerySet[Enterprise]:
    """The enterprises a user reaches (rule in `registry/scopes.py`)."""
    return restrict(Enterprise.objects.all(), user)


def places_visible_to(user) -> QuerySet[Place]:
    """The places a user reaches (rule in `registry/scopes.py`)."""
    return restrict(Place.objects.all(), user)


@transaction.atomic
def load_reference_data(apps=global_apps) -> tuple[int, int]:
    """Create or update the VSIC 2018 codes and Hanoi's industrial zones and clusters.

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
    zones = json.loads(ZONES_FILE.read_text(encoding="utf-8"))
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
