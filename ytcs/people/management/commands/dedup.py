"""``ytcs dedup scan [--commune CODE] [--province CODE]``: refresh the duplicate review queue."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.utils.translation import gettext as _
from tqdm import tqdm

from ytcs.audit.context import AuditContext
from ytcs.orgunits.models import OrgUnit
from ytcs.people.dedup.services import duplicates_scan


class Command(BaseCommand):
    help = "Tìm các cặp đăng ký nghi trùng và cập nhật hàng đợi xem xét."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        scan = sub.add_parser("scan", help="Quét các xã/phường (mặc định: tất cả xã/phường hiện hành)")
        scan.add_argument("--commune", action="append", default=[], help="Mã xã/phường (có thể lặp lại)")
        scan.add_argument("--province", default=None, help="Mã tỉnh/thành phố: quét mọi xã/phường của tỉnh")
        scan.add_argument("--no-progress", action="store_true", help="Không hiện thanh tiến độ")

    def handle(self, *args: object, **opts: object) -> None:
        communes = OrgUnit.objects.filter(level=OrgUnit.Level.COMMUNE, valid_to__isnull=True)
        if opts["commune"]:
            communes = communes.filter(code__in=opts["commune"])
            missing = set(opts["commune"]) - set(communes.values_list("code", flat=True))
            if missing:
                raise CommandError(_("--commune: không có xã/phường hiện hành mã %(codes)s")
                                   % {"codes": ", ".join(sorted(missing))})
        if opts["province"]:
            province = OrgUnit.objects.filter(level=OrgUnit.Level.PROVINCE, valid_to__isnull=True,
                                              code=opts["province"]).first()
            if province is None:
                raise CommandError(_("--province: không có tỉnh/thành phố hiện hành mã %(code)s")
                                   % {"code": opts["province"]})
            communes = communes.filter(Q(path__startswith=province.path))
        communes = list(communes.order_by("code"))
        started = time.monotonic()
        with tqdm(total=len(communes), unit=" xã", file=sys.stderr, disable=opts["no_progress"],
                  desc=_("Quét trùng")) as bar:
            result = duplicates_scan(context=AuditContext.system("dedup-scan"), communes=communes,
                                     on_progress=lambda _unit: bar.update(1))
        self.stdout.write(_(
            "Đã quét %(communes)s xã/phường, %(residents)s người, so sánh %(pairs)s cặp trong %(seconds).1f giây: "
            "%(likely)s cặp rất có thể trùng, %(possible)s cặp có thể trùng (%(created)s cặp mới)."
        ) % {"communes": result.communes, "residents": f"{result.residents:,}", "pairs": f"{result.pairs_compared:,}",
             "seconds": time.monotonic() - started, "likely": result.likely, "possible": result.possible,
             "created": result.created})
