"""`scpvn geo load` and `scpvn geo place COMMUNE [--district D]`."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scpvn.geo.addresses import AddressPlacer
from scpvn.geo.services import load_reference_data


class Command(BaseCommand):
    help = "Đơn vị hành chính: nạp cây đơn vị, tra phường, xã theo bản đồ hiện nay (geo)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "load",
            help="nạp lại cây đơn vị và các đơn vị của tỉnh cài đặt (SCPVN_PROVINCE)",
        )
        place = sub.add_parser("place", help="phường, xã hiện nay của một địa chỉ (cũ hoặc mới)")
        place.add_argument("commune", help="tên hoặc mã phường, xã")
        place.add_argument("--district", default="", help="quận, huyện trước 1/7/2025")

    def handle(self, *args, **options) -> None:
        if options["action"] == "load":
            result = load_reference_data()
            self.stdout.write(
                f"{result.units} đơn vị, {result.successions} cặp chuyển đổi; tỉnh cài đặt: "
                f"{result.districts} quận, huyện cũ, {result.wards} phường, xã"
            )
            return
        placement = AddressPlacer().place(options["commune"], options["district"])
        if placement.problem:
            raise CommandError(placement.problem, returncode=1)
        ward = placement.ward
        self.stdout.write(f"{ward.code} {ward.name}" if ward else str(placement.district))
