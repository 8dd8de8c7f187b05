"""Registry rules shared by every app that deals with enterprises and places."""

import csv
import json
from pathlib import Path

from django.apps import apps as global_apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from scpvn.geo.services import installed_province_code
from scpvn.orgs.policy import check_role, restrict
from scpvn.orgs.roles import Role
from scpvn.registry.errors import RegistryErrorCode
from scpvn.registry.importing import run_import_job
from scpvn.registry.models import Enterprise, ImportJob, Place
from scpvn.registry.tasks import run_registry_import

DATA_DIR = Path(__file__).resolve().parent / "data"
VSIC_FILE = DATA_DIR / "vsic2018.csv"
# One file per province, named by its official 2025 code; the installed province's is loaded.
ZONES_DIR = DATA_DIR / "industrial_zones"
IMPORT_ROLES = frozenset({Role.CITY_ADMIN, Role.AGENCY_OFFICER})
# Who proposes a place met in the field (the officers who make visits), and who confirms it.
PROPOSE_ROLES = frozenset(
    {Role.CITY_ADMIN, Role.AGENCY_OFFICER, Role.DISTRICT_OFFICER, Role.COMMUNE_OFFICER}
)
CONFIRM_ROLES = frozenset({Role.CITY_ADMIN, Role.REVIEWER})
# Files up to this size are imported while the page waits; larger ones go to the worker.
INLINE_IMPORT_BYTES = 256 * 1024


def enterprises_visible_to(user) -> QuerySet[Enterprise]:
    """The enterprises a user reaches (rule in `registry/scopes.py`)."""
    return restrict(Enterprise.objects.all(), user)


def places_visible_to(user) -> QuerySet[Place]:
    """The places a user reaches (rule in `registry/scopes.py`)."""
    return restrict(Place.objects.all(), user)


def propose_place(
    user,
    *,
    kind: str,
    name: str,
    address: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
) -> Place:
    """A place an officer met in the field and did not find in the list: entered as pending,
    on the officer's own commune or ward (or old district), until a reviewer confirms it.
    An officer with no place on the map of their own (a department's) cannot say where it
    is, and is refused."""
    check_role(
        user,
        PROPOSE_ROLES,
        _("Chỉ cán bộ đi kiểm tra được đề xuất cơ sở mới."),
        RegistryErrorCode.PLACE_PROPOSE_DENIED,
    )
    errors = {}
    if not name.strip():
        errors["name"] = _("Hãy ghi tên cơ sở mới.")
    if kind not in Place.Kind.values:
        errors["kind"] = _("Loại cơ sở “%(kind)s” không có.") % {"kind": kind}
    area = {}
    if user.role == Role.COMMUNE_OFFICER and user.unit_id:
        area = {"unit_id": user.unit_id}
    elif user.role == Role.DISTRICT_OFFICER and user.district_id:
        area = {"district_id": user.district_id}
    else:
        errors["unit"] = _(
            "Chỉ cán bộ xã, phường (hoặc quận, huyện) đề xuất được cơ sở mới trên địa bàn "
            "của mình; hãy chọn cơ sở trong danh sách."
        )
    if errors:
        raise ValidationError(
            {
                field: ValidationError(message, code=RegistryErrorCode.PLACE_INVALID)
                for field, message in errors.items()
            }
        )
    return Place.objects.create(
        kind=kind,
        name=name.strip()[:255],
        address=address.strip()[:255],
        latitude=latitude,
        longitude=longitude,
        status=Place.Status.PENDING,
        proposed_by=user,
        **area,
    )


@transaction.atomic
def confirm_place(user, place: Place) -> Place:
    """A reviewer enters a proposed place in the registry: from then on it counts."""
    check_role(
        user,
        CONFIRM_ROLES,
        _("Chỉ lãnh đạo hoặc quản trị được xác nhận cơ sở mới."),
        RegistryErrorCode.PLACE_CONFIRM_DENIED,
    )
    locked = Place.objects.select_for_update().get(pk=place.pk)
    if locked.status != Place.Status.PENDING:
        raise ValidationError(
            _("Cơ sở “%(name)s” đã có trong sổ.") % {"name": locked.name},
            code=RegistryErrorCode.PLACE_NOT_PENDING,
        )
    locked.status = Place.Status.REGISTERED
    locked.save(update_fields=["status"])
    return locked


def start_import(user, upload: UploadedFile, *, dry_run: bool) -> ImportJob:
    """Record an import of the enterprise register and run it: small files at once, larger
    ones on the worker. Only city administrators and agency officers import."""
    check_role(
        user,
        IMPORT_ROLES,
        _("Chỉ quản trị thành phố và cán bộ sở được nhập danh sách doanh nghiệp."),
        RegistryErrorCode.IMPORT_DENIED,
    )
    job = ImportJob.objects.create(
        file=upload, original_name=upload.name[:255], dry_run=dry_run, created_by=user
    )
    return _run(job)


def retry_import(user, job: ImportJob) -> ImportJob:
    """Run a failed job again on its file (after a crash or a stale worker), from scratch."""
    check_role(
        user,
        IMPORT_ROLES,
        _("Chỉ quản trị thành phố và cán bộ sở được nhập danh sách doanh nghiệp."),
        RegistryErrorCode.IMPORT_DENIED,
    )
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.PENDING, failure="")
    return _run(job)


def _run(job: ImportJob) -> ImportJob:
    """Small files at once, larger ones on the worker."""
    if job.file.size <= INLINE_IMPORT_BYTES:
        return run_import_job(job)
    run_registry_import.enqueue(job.pk)
    return job


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
