"""Placing a record on the unit tree at the level it was made.

Every record on the map (enterprises, places, activities, responses, fairs, green points,
events, trace locations, industrial zones) names a `geo.Unit`: a commune or ward after the
1 July 2025 reform, a district or commune before it. The services that write such records
call `place_record` so that one rule decides which unit a record falls on and refuses a unit
that did not exist on the record's date; the data migrations call `fill_units` for records
made before the field existed.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from scpvn.core.memo import memo
from scpvn.geo.models import District, Unit, Ward
from scpvn.geo.services import current_communes, installed_province

UNIT_NOT_VALID = "unit_not_valid_on_date"


def valid_on(unit: Unit, on: date) -> bool:
    """Whether the unit existed on that day (open ends count as open)."""
    return (unit.valid_from is None or unit.valid_from <= on) and (
        unit.valid_to is None or on <= unit.valid_to
    )


def check_unit_on(unit: Unit | None, on: date | None, field: str = "unit") -> None:
    """Refuse a unit that was not valid on the record's date, naming the unit and its dates
    (the person usually typed a ward that was created, or abolished, on 1 July 2025)."""
    if unit is None or on is None or valid_on(unit, on):
        return
    span = " – ".join(
        d.strftime("%d/%m/%Y") if d else "…" for d in (unit.valid_from, unit.valid_to)
    )
    raise ValidationError(
        {
            field: ValidationError(
                _("%(unit)s (%(code)s) không tồn tại vào ngày %(day)s (hiệu lực %(span)s).")
                % {
                    "unit": unit.name,
                    "code": unit.code,
                    "day": on.strftime("%d/%m/%Y"),
                    "span": span,
                },
                code=UNIT_NOT_VALID,
            )
        }
    )


def unit_on(subject, on: date | None) -> Unit | None:
    """The unit a record about `subject` (an enterprise, a place, or the record itself) falls
    on that day: the subject's own unit, else its ward's, else its old district's, the first
    that existed that day. None rather than a unit that did not exist: a post-reform record
    with only an old district stays unplaced instead of being put on a vanished unit.

    Read from the subject's ids and the remembered reference data (`unit_by_id` and the
    links below), so the subject need not be fetched with its ward, district and units."""
    candidates = [getattr(subject, "unit_id", None)]
    for field, unit_of in (("ward", ward_unit_id), ("district", district_unit_id)):
        related_id = getattr(subject, f"{field}_id", None)
        if related_id:
            candidates.append(unit_of(related_id))
    units = (unit_by_id(pk) for pk in candidates if pk is not None)
    return next((u for u in units if u is not None and (on is None or valid_on(u, on))), None)


def place_record(record, on: date | None) -> None:
    """Give a record its unit and check it: a unit the caller chose is kept (and refused if
    it did not exist on the record's date); otherwise `unit_on` picks it."""
    if getattr(record, "unit_id", None) is None:
        record.unit = unit_on(record, on)
    check_unit_on(record.unit, on)


_under: dict[int, tuple[int, ...]] = memo()
_districts: dict[str, list[District]] = memo()
_communes: dict[str, list[Unit]] = memo()
_district_units: dict[int, int | None] = memo()
_ward_units: dict[int, int | None] = memo()
_units: dict[int, Unit | None] = memo()


def units_under(unit_id: int | None) -> list[int]:
    """The unit and every unit below it (a province's districts and communes, a district's
    communes): the scope of an officer and the set a figure rolls up over. Listed level by
    level, each level in the table's order.

    Every scope check of a local officer walks it (an OpenRosa visit runs one,
    bench/bench_openrosa_receive.py), and the tree is reference data, so each unit's is read
    once per process (`core.memo`). The tree has three levels (`Unit.Level`): two indexed
    reads reach its bottom, the children, then theirs. (A recursive query did it in one round
    trip, but PostgreSQL cannot estimate a recursive query's rows and answered it by scanning
    the whole country's units twice: 12 ms, against well under 1 ms for the two reads.)"""
    if unit_id is None:
        return []
    if unit_id not in _under:
        order = ("level", "code", "valid_from")
        children = list(
            Unit.objects.filter(parent_id=unit_id).order_by(*order).values_list("id", flat=True)
        )
        grandchildren = (
            Unit.objects.filter(parent_id__in=children)
            .order_by(*order)
            .values_list("id", flat=True)
            if children
            else []
        )
        _under[unit_id] = (unit_id, *children, *grandchildren)
    return list(_under[unit_id])


def unit_by_id(unit_id: int) -> Unit | None:
    """A unit, remembered like the tree (callers must not change it)."""
    if unit_id not in _units:
        _units[unit_id] = Unit.objects.filter(pk=unit_id).first()
    return _units[unit_id]


def all_districts() -> list[District]:
    """The province's old districts in code order, remembered like the tree (callers must
    not change them): every list page filtered by district offers them all."""
    if "all" not in _districts:
        _districts["all"] = list(District.objects.order_by("code"))
    return _districts["all"]


def installed_communes() -> list[Unit]:
    """Today's communes and wards of the installed province by name (Hanoi: 126),
    remembered like the tree: every list filtered by commune offers them all."""
    if "all" not in _communes:
        _communes["all"] = list(current_communes(installed_province()).order_by("name"))
    return _communes["all"]


def district_unit_id(district_id: int) -> int | None:
    """The unit of an old district (of the province's own rows), remembered like the tree."""
    if district_id not in _district_units:
        _district_units[district_id] = (
            District.objects.filter(pk=district_id).values_list("unit_id", flat=True).first()
        )
    return _district_units[district_id]


def ward_unit_id(ward_id: int) -> int | None:
    """The unit of one of the province's wards, remembered like the tree."""
    if ward_id not in _ward_units:
        _ward_units[ward_id] = (
            Ward.objects.filter(pk=ward_id).values_list("unit_id", flat=True).first()
        )
    return _ward_units[ward_id]


def fill_units(apps, app_label: str, model_name: str) -> None:
    """Data migration step: records without a unit get their ward's unit when they have a
    ward, otherwise their old district's (as they were made on the district map)."""
    model = apps.get_model(app_label, model_name)
    fields = {f.name for f in model._meta.get_fields()}
    if "ward" in fields:
        ward_model = apps.get_model("geo", "Ward")
        model.objects.filter(unit=None, ward__isnull=False).update(
            unit=Subquery(ward_model.objects.filter(pk=OuterRef("ward_id")).values("unit_id")[:1])
        )
    district_model = apps.get_model("geo", "District")
    model.objects.filter(unit=None, district__isnull=False).update(
        unit=Subquery(
            district_model.objects.filter(pk=OuterRef("district_id")).values("unit_id")[:1]
        )
    )
