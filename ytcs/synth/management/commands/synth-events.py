"""``ytcs synth-events --province NAME --years 3 --seed 1``: births, deaths and moves for a synthetic province."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from ytcs.synth.people.events import life_events_synthesise
from ytcs.synth.people.service import Mode, SynthInputError, province_find


class Command(BaseCommand):
    help = "Thêm sự kiện hộ tịch tổng hợp (sinh, tử vong, chuyển cư) cho dân cư tổng hợp của một tỉnh."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", required=True, help="Tên tỉnh/thành phố hiện hành (không cần dấu) hoặc mã")
        parser.add_argument("--years", type=int, default=3, help="Số năm gần nhất (mặc định 3)")
        parser.add_argument("--seed", type=int, default=1, help="Hạt giống ngẫu nhiên")
        parser.add_argument("--as-of", default=None, help="Ngày cuối của giai đoạn, YYYY-MM-DD (mặc định: hôm nay)")
        parser.add_argument("--move-share", type=float, default=None,
                            help="Tỉ lệ hộ chuyển sang xã khác mỗi năm (mặc định 0,012)")
        parser.add_argument("--cccd-newborn-share", type=float, default=None,
                            help="Tỉ lệ trẻ mới sinh có số định danh trong sổ (mặc định 0,6)")
        parser.add_argument("--append", action="store_true", help="Thêm vào sự kiện tổng hợp đã có (dùng seed khác)")

    def handle(self, *args: object, **opts: object) -> None:
        try:
            as_of = date.fromisoformat(opts["as_of"]) if opts["as_of"] else None
        except ValueError as exc:
            raise CommandError(_("--as-of: ngày không hợp lệ “%(value)s” (định dạng YYYY-MM-DD)")
                               % {"value": opts["as_of"]}) from exc
        try:
            counts = life_events_synthesise(
                province=province_find(opts["province"]), years=opts["years"], seed=opts["seed"], as_of=as_of,
                mode=Mode.APPEND if opts["append"] else Mode.REFUSE, move_share=opts["move_share"],
                cccd_newborn_share=opts["cccd_newborn_share"],
            )
        except SynthInputError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(_(
            "Từ %(start)s đến %(end)s: %(births)s trẻ sinh, %(deaths)s người mất, %(moved)s người "
            "(%(households)s hộ) chuyển xã; %(periods)s giai đoạn cư trú ghi mới; %(seconds).1f giây."
        ) % {
            "start": counts.start.isoformat(), "end": counts.end.isoformat(), "births": f"{counts.births:,}",
            "deaths": f"{counts.deaths:,}", "moved": f"{counts.people_moved:,}",
            "households": f"{counts.households_moved:,}", "periods": f"{counts.residence_periods:,}",
            "seconds": counts.seconds,
        })
