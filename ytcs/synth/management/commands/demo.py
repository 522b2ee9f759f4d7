"""``ytcs demo``: from an empty database to a logged-in Vietnamese UI with a synthetic province.

Each step checks what exists and skips itself, so a second run reuses the first run's data:
delete expired uploaded resident lists (``ytcs import purge``) → migrate → load org units (if none)
→ synthesise residents for the demo province (if it has none)
→ three years of births, deaths and moves (once, for a synthetic population without visits yet)
→ facilities and staff (if none) → three years of visits (if none) → seven years of surveillance data
 and a detection run (if none) → demo users (ensured) → print the logins → serve.
"""

import os
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ytcs.clinical.models import Encounter
from ytcs.core.text import fold
from ytcs.orgunits.models import HealthFacility, OrgUnit
from ytcs.people.import_files import pending_purge
from ytcs.people.models import Resident
from ytcs.surveillance.models import WeeklyCount
from ytcs.synth.orgunits import facilities_for_province_create, staff_synthesise
from ytcs.synth.people.events import synthetic_events_pending

DEFAULT_PROVINCE = "Cao Bằng"
DEFAULT_PEOPLE = 50_000
DEFAULT_ADDRESS = "127.0.0.1:8000"


class Command(BaseCommand):
    help = "Set up (or reuse) the demo province and users, print the logins, and serve on 127.0.0.1:8000."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", default=os.environ.get("YTCS_DEMO_PROVINCE", DEFAULT_PROVINCE))
        parser.add_argument(
            "--people", type=int, default=int(os.environ.get("YTCS_DEMO_PEOPLE", DEFAULT_PEOPLE)),
            help="Residents to synthesise when the province has none (default 50000, env YTCS_DEMO_PEOPLE)",
        )
        parser.add_argument("--addr", default=DEFAULT_ADDRESS, help="host:port to serve on")
        parser.add_argument("--no-serve", action="store_true", help="Prepare everything, print the logins, exit")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        self._say(f"Đã xoá {pending_purge()} tệp danh sách tải lên chờ xác nhận đã quá hạn (import purge).")
        self._step("Cập nhật cơ sở dữ liệu (migrate)", lambda: call_command("migrate", interactive=False, verbosity=0))
        if not OrgUnit.objects.exists():
            self._step("Nạp đơn vị hành chính (orgunits load)", lambda: call_command("orgunits", "load"))
        else:
            self._say("Đơn vị hành chính đã có, dùng lại.")
        province = self._province(options["province"])
        if not Resident.objects.filter(commune__path__startswith=province.path).exists():
            self._step(
                f"Sinh {options['people']:,} người dân giả lập cho {province.name}",
                lambda: call_command(
                    "synth", "--province", province.name, "--people", str(options["people"]), "--seed", "1"
                ),
            )
        else:
            self._say(f"{province.name} đã có người dân, dùng lại.")
        self._life_events(province)
        self._facilities(province)
        self._visits(province)
        self._surveillance(province)
        logins = self._step("Tạo tài khoản demo", lambda: self._demo_users(province))
        self._print_logins(logins, options["addr"])
        self._say(f"Sẵn sàng sau {time.monotonic() - started:.0f} s.")
        if not options["no_serve"]:
            call_command("collectstatic", interactive=False, verbosity=0)
            call_command("runserver", options["addr"], use_reloader=False)

    def _province(self, name: str) -> OrgUnit:
        current = OrgUnit.objects.filter(level=OrgUnit.Level.PROVINCE, valid_to__isnull=True)
        wanted = fold(name)
        for candidate in (current.filter(name_folded=wanted), current.filter(name_folded__endswith=f" {wanted}")):
            found = list(candidate[:2])
            if len(found) == 1:
                return found[0]
        raise CommandError(f"Không tìm thấy tỉnh hiện hành tên «{name}» (--province).")

    def _life_events(self, province: OrgUnit) -> None:
        """Before the visits, so synth-visits sees the deaths and stops each person's visits at death."""
        visits = Encounter.objects.filter(commune__path__startswith=province.path)
        if not synthetic_events_pending(province) or visits.exists():
            self._say("Sự kiện sinh, tử, chuyển cư đã có, hoặc không có dân cư tổng hợp / đã có lượt khám: bỏ qua.")
            return
        self._step(
            "Sinh sự kiện sinh, tử vong, chuyển cư 3 năm (synth-events)",
            lambda: call_command("synth-events", "--province", province.code, "--years", "3", "--seed", "1"),
        )

    def _facilities(self, province: OrgUnit) -> None:
        if HealthFacility.objects.filter(org_unit__path__startswith=province.path).exists():
            self._say("Trạm y tế và nhân viên đã có, dùng lại.")
            return
        self._step("Tạo trạm y tế", lambda: facilities_for_province_create(province=province, seed=1))
        self._step("Sinh nhân viên y tế", lambda: staff_synthesise(province=province, seed=1))

    def _visits(self, province: OrgUnit) -> None:
        if Encounter.objects.filter(commune__path__startswith=province.path).exists():
            self._say("Lượt khám đã có, dùng lại.")
            return
        self._step(
            "Sinh lịch sử khám bệnh 3 năm (synth-visits)",
            lambda: call_command("synth-visits", "--province", province.code, "--years", "3", "--seed", "1"),
        )

    def _surveillance(self, province: OrgUnit) -> None:
        if WeeklyCount.objects.filter(unit__path__startswith=province.path).exists():
            self._say("Số liệu giám sát đã có, dùng lại.")
            return
        self._step(
            "Sinh số liệu giám sát 7 năm (surveillance synth)",
            lambda: call_command("surveillance", "synth", "--province", province.code, "--years", "7", "--seed", "1"),
        )
        self._step(
            "Chạy phát hiện ổ dịch 8 tuần gần nhất (surveillance detect-weekly)",
            lambda: call_command("surveillance", "detect-weekly", "--province", province.code, "--weeks", "8"),
        )

    def _demo_users(self, province: OrgUnit) -> list:
        from ytcs.accounts.services import demo_users_ensure

        return demo_users_ensure(province=province)

    def _print_logins(self, logins: list, addr: str) -> None:
        rows = [(x.username, x.password, x.role_label, x.unit_name) for x in logins]
        header = ("Tên đăng nhập", "Mật khẩu", "Vai trò", "Đơn vị")
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
        line = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
        out = [line, "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |", line]
        out += ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |" for row in rows]
        out.append(line)
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("Tài khoản demo / demo logins"))
        self.stdout.write("\n".join(out))
        self.stdout.write(self.style.SUCCESS(f"Mở trình duyệt / open: http://{addr}/"))
        if settings.DEBUG:
            self.stdout.write(self.style.WARNING("YTCS_DEBUG=1: chỉ dùng để phát triển."))

    def _step(self, label: str, action: Callable[[], Any]) -> Any:
        self.stdout.write(f"→ {label}…")
        started = time.monotonic()
        result = action()
        self.stdout.write(f"  ✓ {time.monotonic() - started:.1f} s")
        return result

    def _say(self, text: str, style: Callable[[str], str] | None = None) -> None:
        self.stdout.write(f"→ {(style or str)(text)}")
