"""Placing an address written on either map onto today's commune or ward.

An import row names a commune or ward, perhaps with the district it stood in before 1 July
2025. A name on today's map is taken as is; an old name is converted through the official
table when the old commune went whole into one new one, and refused otherwise, naming the
new units that took its parts so the person can choose. Built once per import: the indexes
cover the installed province and every old province that went into it.
"""

from dataclasses import dataclass, field

from scpvn.geo.services import (
    COMMUNE_PREFIXES,
    DISTRICT_PREFIXES,
    LAST_DAY_BEFORE_REFORM,
    PROVINCE_PREFIXES,
    fold,
    installed_province_code,
    strip_prefix,
)


@dataclass(frozen=True)
class Placement:
    """Where an address lands: the ward row (today's map), the old district row if the address
    named one, or the reason it cannot be placed."""

    ward: object | None = None
    district: object | None = None
    problem: str = ""
    column: str = ""

    @property
    def unit_id(self) -> int | None:
        if self.ward is not None:
            return self.ward.unit_id
        return self.district.unit_id if self.district is not None else None


@dataclass
class _OldCommune:
    name: str
    district_code: str
    district_name: str
    successors: list[tuple[object, bool]] = field(default_factory=list)


def _keys(name: str, prefixes: tuple[str, ...]) -> set[str]:
    return {fold(name), fold(strip_prefix(name, prefixes))}


class AddressPlacer:
    """Indexes of the installed province's communes on both maps; `place()` per row."""

    def __init__(self) -> None:
        from scpvn.geo.models import District, Province, Unit, UnitSuccession, Ward

        self._placed: dict[tuple[str, str], Placement] = {}
        code = installed_province_code()
        self.province = Province.objects.filter(code=code).first()
        province_units = list(
            Unit.objects.filter(level=Unit.Level.PROVINCE).filter(code=code, valid_to=None)
        ) + list(
            Unit.objects.filter(
                level=Unit.Level.PROVINCE, succession_links__new__code=code, valid_to__isnull=False
            )
        )
        self.province_keys = set()
        for unit in province_units:
            self.province_keys |= _keys(unit.name, PROVINCE_PREFIXES) | {
                unit.code,
                str(int(unit.code)),
            }
        old_province_ids = [u.pk for u in province_units if u.valid_to is not None]

        self.wards: dict[str, list] = {}
        for ward in Ward.objects.filter(province__code=code):
            for key in _keys(ward.name, COMMUNE_PREFIXES) | {ward.code}:
                self.wards.setdefault(key, []).append(ward)
        wards_by_code = {w.code: w for found in self.wards.values() for w in found}

        self.districts = {d.code: d for d in District.objects.filter(province__code=code)}
        self.district_keys: dict[str, str] = {}
        for district in self.districts.values():
            for key in _keys(district.name, DISTRICT_PREFIXES) | {district.code}:
                self.district_keys[key] = district.code

        self.old: dict[str, list[_OldCommune]] = {}
        by_id: dict[int, _OldCommune] = {}
        for unit_id, name, district_code, district_name in Unit.objects.filter(
            level=Unit.Level.COMMUNE,
            valid_to=LAST_DAY_BEFORE_REFORM,
            parent__parent_id__in=old_province_ids,
        ).values_list("pk", "name", "parent__code", "parent__name"):
            commune = _OldCommune(name, district_code, district_name)
            by_id[unit_id] = commune
            for key in _keys(name, COMMUNE_PREFIXES):
                self.old.setdefault(key, []).append(commune)
        # the new unit's level and end are tested here, not in SQL: with them in the WHERE
        # clause SQLite probed the id list once per current commune (3 s for Hanoi)
        for old_id, new_code, whole, level, valid_to in UnitSuccession.objects.filter(
            old_id__in=list(by_id)
        ).values_list("old_id", "new__code", "whole", "new__level", "new__valid_to"):
            if level == Unit.Level.COMMUNE and valid_to is None and new_code in wards_by_code:
                by_id[old_id].successors.append((wards_by_code[new_code], whole))

    def province_ok(self, value: str) -> bool:
        """An empty province means the installed one; otherwise it must name it (or an old
        province that went into it)."""
        return (
            not value
            or bool(_keys(value, PROVINCE_PREFIXES) & self.province_keys)
            or (value.strip().isdigit() and value.strip().zfill(2) in self.province_keys)
        )

    def district(self, value: str):
        value = value.strip()
        if value.isdigit():
            value = value.zfill(3)
        for key in _keys(value, DISTRICT_PREFIXES) | {value}:
            if key in self.district_keys:
                return self.districts[self.district_keys[key]]
        return None

    def place(self, commune: str, district_text: str = "") -> Placement:
        """Today's ward for `commune` (name or code), converting an old name when it can.
        Remembered per placer: an import's rows repeat a few hundred addresses."""
        key = (commune, district_text)
        if key not in self._placed:
            self._placed[key] = self._place(commune, district_text)
        return self._placed[key]

    def _place(self, commune: str, district_text: str) -> Placement:
        district = None
        if district_text:
            district = self.district(district_text)
            if district is None:
                return Placement(problem="không có quận, huyện này", column="district")
        if not commune:
            return Placement(district=district)
        value = commune.strip()
        if value.isdigit():
            value = value.zfill(5)
        keys = _keys(value, COMMUNE_PREFIXES) | {value}
        old = {id(c): c for key in keys for c in self.old.get(key, [])}.values()
        if district is not None:
            old = [c for c in old if c.district_code == district.code]
        current = {w.pk: w for key in keys for w in self.wards.get(key, [])}
        # With a district named, the address is an old one: convert it if that district had
        # a commune of this name; otherwise a name on today's map is taken as is.
        if old and (district is not None or not current):
            return self._convert(list(old), district)
        if len(current) == 1:
            return Placement(ward=next(iter(current.values())), district=district)
        if len(current) > 1:
            return Placement(
                problem="có nhiều phường, xã tên này; ghi mã phường, xã", column="commune"
            )
        return Placement(
            problem="không có phường, xã này (cả trước và sau 1/7/2025)", column="commune"
        )

    def _convert(self, old: list[_OldCommune], district) -> Placement:
        if len(old) > 1:
            where = ", ".join(sorted(c.district_name for c in old))
            return Placement(
                problem=f"có nhiều phường, xã cũ tên này ({where}); ghi thêm quận, huyện cũ",
                column="commune",
            )
        commune = old[0]
        if district is None:
            district = self.districts.get(commune.district_code)
        if len(commune.successors) == 1 and commune.successors[0][1]:
            return Placement(ward=commune.successors[0][0], district=district)
        if not commune.successors:
            return Placement(
                problem=f"{commune.name} cũ không có trong bảng chuyển đổi", column="commune"
            )
        names = "; ".join(
            f"{w.name} ({w.code})"
            for w, _whole in sorted(commune.successors, key=lambda s: s[0].code)
        )
        return Placement(
            problem=(
                f"{commune.name} ({commune.district_name}) đã được chia, nhập vào nhiều đơn vị "
                f"mới từ 1/7/2025: {names}; ghi phường, xã mới"
            ),
            column="commune",
        )
