"""One demo account per role, each with a realistic scope."""

from collections.abc import Callable

from scpvn.geo.models import District, Ward
from scpvn.orgs.models import Agency, User
from scpvn.orgs.roles import Role

ORDER = 20
PASSWORD = "scpvn-demo-2020"
# username, role, scope (agency code, district or 2025 ward GSO code), full name
ACCOUNTS: list[tuple[str, str, str, str]] = [
    ("quantri", Role.CITY_ADMIN, "SCT", "Nguyễn Văn Quản"),
    ("lanhdao.sct", Role.REVIEWER, "SCT", "Trần Thị Duyệt"),
    ("canbo.sct", Role.AGENCY_OFFICER, "SCT", "Lê Minh Công"),
    ("canbo.tnmt", Role.AGENCY_OFFICER, "STNMT", "Phạm Thu Hà"),
    ("canbo.dongda", Role.DISTRICT_OFFICER, "006", "Hoàng Văn Đống"),
    ("canbo.vanmieu", Role.COMMUNE_OFFICER, "00226", "Đỗ Thị Miếu"),
    ("doanhnghiep", Role.ENTERPRISE_USER, "", "Vũ Thị Doanh"),
]


def load(log: Callable[[str], None]) -> None:
    for username, role, scope, full_name in ACCOUNTS:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "full_name": full_name,
                "role": role,
                "agency": Agency.objects.filter(code=scope).first()
                if role not in (Role.DISTRICT_OFFICER, Role.COMMUNE_OFFICER)
                else None,
                "district": District.objects.get(code=scope)
                if role == Role.DISTRICT_OFFICER
                else None,
                "unit": Ward.objects.get(code=scope).unit if role == Role.COMMUNE_OFFICER else None,
                "is_staff": role == Role.CITY_ADMIN,
                "is_superuser": role == Role.CITY_ADMIN,
                "email": f"{username}@demo.scpvn.local",
            },
        )
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    log(f"Tài khoản trình diễn: {len(ACCOUNTS)}")


def summary() -> list[str]:
    """The demo accounts, shown by `scpvn demo load` once everything is loaded."""
    lines = ["\nTài khoản trình diễn (demo accounts):"]
    for username, role, _scope, full_name in ACCOUNTS:
        lines.append(f"  {username:<18} {PASSWORD}   {role:<18} {full_name}")
    return lines
