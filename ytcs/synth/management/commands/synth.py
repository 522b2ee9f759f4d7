"""``ytcs synth --province "Cao Bằng" --people 50000 --seed 1``: a synthetic demo population."""

import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from ytcs.synth.people.service import Mode, SynthInputError, population_synthesise, province_find


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        message = _("--as-of: ngày không hợp lệ “%(value)s” (định dạng YYYY-MM-DD)") % {"value": text}
        raise CommandError(message) from exc


class Command(BaseCommand):
    help = "Tạo dân cư tổng hợp (hộ gia đình, người dân) cho một tỉnh để trình diễn và đo hiệu năng."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", required=True, help="Tên tỉnh/thành phố hiện hành (không cần dấu) hoặc mã")
        parser.add_argument("--people", required=True, type=int, help="Số người cần tạo")
        parser.add_argument("--seed", type=int, default=1, help="Hạt giống ngẫu nhiên (cùng hạt giống → cùng dân cư)")
        parser.add_argument("--as-of", default=None, help="Ngày tính tuổi, YYYY-MM-DD (mặc định: hôm nay)")
        parser.add_argument("--bhyt-coverage", type=float, default=None, help="Tỉ lệ có thẻ BHYT (mặc định 0,9515)")
        parser.add_argument("--cccd-adult-share", type=float, default=None, help="Tỉ lệ người từ 14 tuổi có số CCCD")
        parser.add_argument("--cccd-child-share", type=float, default=None, help="Tỉ lệ trẻ dưới 14 tuổi có số CCCD")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--append", action="store_true", help="Thêm vào dân cư tổng hợp đã có của tỉnh")
        group.add_argument("--replace", action="store_true", help="Xoá dân cư tổng hợp đã có của tỉnh rồi tạo lại")
        parser.add_argument("--no-progress", action="store_true", help="Không hiện thanh tiến độ")
        parser.add_argument("--duplicates", type=float, default=0.0,
                            help="Tỉ lệ người được đăng ký lại với sai sót (thử phát hiện trùng), ví dụ 0.02")
        parser.add_argument("--duplicates-truth", default=None,
                            help="Tệp CSV ghi các cặp trùng đã chèn (mặc định var/synth-duplicates-<mã tỉnh>.csv)")

    def handle(self, *args: object, **opts: object) -> None:
        as_of = _iso_date(opts["as_of"]) if opts["as_of"] else date.today()
        mode = Mode.APPEND if opts["append"] else Mode.REPLACE if opts["replace"] else Mode.REFUSE
        with tqdm(total=max(opts["people"], 0), unit=" người", unit_scale=True, file=sys.stderr,
                  disable=opts["no_progress"], desc=_("Tạo dân cư")) as bar:
            try:
                province = province_find(opts["province"])
                result = population_synthesise(
                    province=province, people=opts["people"], seed=opts["seed"], as_of=as_of,
                    bhyt_coverage=opts["bhyt_coverage"], cccd_adult_share=opts["cccd_adult_share"],
                    cccd_child_share=opts["cccd_child_share"], mode=mode, on_progress=bar.update,
                )
            except SynthInputError as exc:
                raise CommandError(str(exc)) from exc
        if opts["duplicates"]:
            self._inject_duplicates(result.province, opts)
        rate = result.people / result.seconds if result.seconds else 0
        self.stdout.write(_(
            "Đã tạo %(people)s người trong %(households)s hộ, %(villages)s thôn/bản, %(province)s "
            "(seed %(seed)s) trong %(seconds).1f giây (%(rate)s người/giây)."
        ) % {
            "people": f"{result.people:,}", "households": f"{result.households:,}", "villages": result.villages,
            "province": result.province.name, "seed": opts["seed"], "seconds": result.seconds, "rate": f"{rate:,.0f}",
        })

    def _inject_duplicates(self, province: object, opts: dict) -> None:
        from pathlib import Path

        from django.conf import settings

        from ytcs.synth.people.duplicates import duplicates_inject

        if not 0.0 <= opts["duplicates"] <= 1.0:
            raise CommandError(_("--duplicates: phải là tỉ lệ từ 0 đến 1 (nhận được: %(value)s)")
                               % {"value": opts["duplicates"]})
        var = Path(settings.VAR_DIR)
        truth = Path(opts["duplicates_truth"] or var / f"synth-duplicates-{province.code}.csv")
        injected = duplicates_inject(province=province, share=opts["duplicates"], seed=opts["seed"], truth_path=truth)
        self.stdout.write(_("Đã chèn %(n)s bản đăng ký trùng; danh sách đúng ghi ở %(path)s.")
                          % {"n": f"{len(injected):,}", "path": truth})
