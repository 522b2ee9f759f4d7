"""Factories for surveillance tests: an org-unit tree, users, residents and reports."""

import datetime as dt

from django.utils import timezone

from ytcs.accounts.tests.factories import UserFactory
from ytcs.audit.context import AuditContext
from ytcs.orgunits.models import OrgUnit
from ytcs.people.tests import factories as people_factories
from ytcs.surveillance import services
from ytcs.surveillance.inputs import CaseReportInput, WeeklyLine, WeeklyReportInput
from ytcs.surveillance.models import CaseReport, WeeklyReport

__all__ = ["ResidentFactory", "Tree", "UserFactory", "at", "make_unit", "report_case", "submit_weekly"]


def make_unit(name: str, level: int, parent: OrgUnit | None = None, code: str | None = None) -> OrgUnit:
    """A current org unit with its materialised path (the parent's path plus its own pk)."""
    unit = OrgUnit.objects.create(
        code=code or f"{level}-{name}", name=name, level=level, parent=parent, valid_from=dt.date(2025, 7, 1),
        path="", name_folded=name.lower(),
    )
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.save(update_fields=["path"])
    return unit


class Tree:
    """Country → two provinces; province A has communes A1 (villages A1a, A1b) and A2; province B has B1."""

    def __init__(self) -> None:
        L = OrgUnit.Level  # noqa: N806
        self.country = make_unit("Việt Nam", L.COUNTRY)
        self.province = make_unit("Tỉnh A", L.PROVINCE, self.country)
        self.commune = make_unit("Xã A1", L.COMMUNE, self.province)
        self.village = make_unit("Thôn A1a", L.VILLAGE, self.commune)
        self.village2 = make_unit("Thôn A1b", L.VILLAGE, self.commune)
        self.commune2 = make_unit("Xã A2", L.COMMUNE, self.province)
        self.other_province = make_unit("Tỉnh B", L.PROVINCE, self.country)
        self.other_commune = make_unit("Xã B1", L.COMMUNE, self.other_province)
        self.other_village = make_unit("Thôn B1a", L.VILLAGE, self.other_commune)


class ResidentFactory(people_factories.ResidentFactory):
    """A child, the usual subject of a notifiable-disease report."""

    birth_date = dt.date(2018, 3, 15)


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    """An aware datetime in the project's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _id(obj: object | None) -> int | None:
    return obj.pk if obj is not None else None


def report_case(user: object, *, village: OrgUnit | None = None, commune: OrgUnit | None = None,
                resident: object | None = None, **fields: object) -> CaseReport:
    """A case reported by ``user`` through the service, naming the place and person the way a client does."""
    report = CaseReportInput(village_id=_id(village), commune_id=_id(commune), resident_id=_id(resident), **fields)
    return services.case_report_create(report, context=AuditContext(actor=user))


def submit_weekly(user: object, week: dt.date, lines: dict[str, tuple[int, int]] | None = None, *,
                  unit: OrgUnit | None = None, submitted_at: dt.datetime | None = None) -> WeeklyReport:
    """A weekly report submitted by ``user``: ``lines`` maps a disease code to (cases, deaths)."""
    report = WeeklyReportInput(week=week, unit_id=_id(unit),
                               lines=tuple(WeeklyLine(code, *counts) for code, counts in (lines or {}).items()))
    return services.weekly_report_submit(report, context=AuditContext(actor=user), submitted_at=submitted_at)
