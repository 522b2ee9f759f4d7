"""The weekly detection job: every (commune, disease) series of a province, and the province and district sums.

It reads ``WeeklyCount`` (already current), runs the detection engine once per
(method, parameters) over all series at once, and stores one ``Signal`` per
alarm week. Signals are keyed by (unit, disease, week, method), so running the
same week again updates figures without duplicating a signal or touching its
review status. The job acts under the :class:`~ytcs.audit.context.AuditContext` it is given
(``AuditContext.system("detect-weekly")`` from the command) and leaves one audit event per run.
"""

import datetime as dt
import json
from dataclasses import dataclass, field

import numpy as np
from django.db import transaction
from django.utils import timezone

from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditAction
from ytcs.audit.services import audit_record
from ytcs.audit.vocabulary import ResourceType
from ytcs.orgunits.models import OrgUnit
from ytcs.surveillance import conf, detection
from ytcs.surveillance.models import (
    CaseReport,
    Classification,
    DetectionRun,
    Disease,
    ReportingMode,
    Signal,
)
from ytcs.surveillance.series import SeriesCube, build_cube
from ytcs.surveillance.weeks import last_complete_week

_FREQ = 52
_EXTRA_HISTORY_WEEKS = 40  # windows (w), limit54 and pastWeeksNotIncluded on top of b years


@dataclass
class _Series:
    unit_id: int
    disease_index: int
    values: np.ndarray
    member_ids: list[int] = field(default_factory=list)


def disease_method(disease: Disease, override: str | None = None) -> tuple[str, dict]:
    """The method and parameters for ``disease``: the run's override, else the disease's own, else the default.

    Per-disease parameters apply only with the disease's own method.
    """
    if override:
        return override, {}
    if disease.detection_method:
        return disease.detection_method, dict(disease.detection_params)
    return str(conf.get("YTCS_SURVEILLANCE_DEFAULT_METHOD")), dict(disease.detection_params)


def _engine_params(params: dict) -> dict:
    """JSON lists become the tuples the engine's parameter objects hold."""
    return {k: tuple(v) if isinstance(v, list) else v for k, v in params.items()}


def _history_weeks(methods: dict[str, tuple[str, dict]], weeks: int) -> int:
    years = max((p.get("b", 5) for _, p in methods.values()), default=5)
    return weeks + _FREQ * int(years) + _EXTRA_HISTORY_WEEKS


def _groupings(scope: OrgUnit, communes: list[OrgUnit]) -> dict[int, list[int]]:
    """Every unit from ``scope`` down to just above the communes, with the positions of its communes."""
    groups: dict[int, list[int]] = {}
    depth = scope.path.count("/")
    for position, commune in enumerate(communes):
        ancestors = [int(pk) for pk in commune.path.strip("/").split("/")[depth - 2: -1]]
        for pk in ancestors:
            groups.setdefault(pk, []).append(position)
    return groups


def _collect_series(cube: SeriesCube, groups: dict[int, list[int]], weeks: int) -> list[_Series]:
    """Series that could alarm: a series with no case in the evaluated weeks cannot exceed any threshold."""
    out = []
    for u, unit in enumerate(cube.units):
        for d in range(len(cube.diseases)):
            values = cube.values[u, d]
            if np.nansum(values[-weeks:]) > 0:
                out.append(_Series(unit.pk, d, values, [u]))
    for unit_id, members in groups.items():
        grouped = cube.grouped(members)
        for d in range(len(cube.diseases)):
            if np.nansum(grouped[d, -weeks:]) > 0:
                out.append(_Series(unit_id, d, grouped[d], members))
    return out


def weekly_detection_run(
    *,
    as_of: dt.date,
    scope: OrgUnit,
    context: AuditContext,
    weeks: int = 1,
    method: str | None = None,
    diseases: list[str] | None = None,
    workers: int | None = None,
) -> DetectionRun:
    """Evaluate the last ``weeks`` complete ISO weeks before ``as_of`` for every series of ``scope``.

    ``weeks`` > 1 is a backfill (e.g. 104 after loading history). Returns the run,
    whose ``signals`` are the alarms found (new or updated).
    """
    if weeks < 1:
        raise ValueError("weeks must be at least 1")
    last_week = last_complete_week(as_of)
    first_eval = last_week - dt.timedelta(weeks=weeks - 1)
    disease_qs = Disease.objects.exclude(reporting_mode=ReportingMode.SEPARATE).prefetch_related("group_history")
    if diseases:
        disease_qs = disease_qs.filter(code__in=diseases)
    disease_list = list(disease_qs)
    methods = {d.code: disease_method(d, method) for d in disease_list}
    for name, params in methods.values():
        detection.make_params(name, **_engine_params(params))  # fail before any work on a bad configuration
    first_week = last_week - dt.timedelta(weeks=_history_weeks(methods, weeks) - 1)
    communes = list(
        OrgUnit.objects.filter(
            path__startswith=scope.path, level=OrgUnit.Level.COMMUNE, valid_to__isnull=True
        ).order_by("pk")
    )
    cube = build_cube(scope=scope, units=communes, diseases=disease_list, first_week=first_week, last_week=last_week)
    series = _collect_series(cube, _groupings(scope, communes), weeks)
    run = DetectionRun.objects.create(
        as_of=as_of, first_week=first_eval, last_week=last_week, scope_unit=scope, method_override=method or "",
        methods={code: {"method": m, "params": p} for code, (m, p) in methods.items()},
        created_by=context.actor if getattr(context.actor, "is_authenticated", False) else None,
    )
    by_method: dict[tuple[str, str], list[_Series]] = {}
    for s in series:
        name, params = methods[disease_list[s.disease_index].code]
        by_method.setdefault((name, json.dumps(params, sort_keys=True)), []).append(s)
    n_workers = workers or int(conf.get("YTCS_SURVEILLANCE_WORKERS") or detection.default_workers())
    found: list[tuple[_Series, int, float, float, str, dict]] = []
    for (name, params_json), group in by_method.items():
        params = json.loads(params_json)
        results = detection.detect_many(
            name, [s.values for s in group], evaluate_last=weeks, workers=n_workers, **_engine_params(params)
        )
        for s, result in zip(group, results, strict=True):
            for t in np.flatnonzero((result.alarm == 1) & result.evaluated):
                found.append((s, int(t), float(result.expected[t]), float(result.upperbound[t]), name, params))
    _store_signals(run, cube, found)
    run.series_count = len(series)
    run.finished_at = timezone.now()
    run.save(update_fields=["series_count", "finished_at", "signal_count", "new_signal_count"])
    audit_record(context=context, action=AuditAction.CREATE, resource_type=ResourceType.SIGNAL,
                 changes={"unit": scope.pk, "as_of": as_of.isoformat()})
    return run


def _finite(value: float) -> float | None:
    return value if np.isfinite(value) else None


@transaction.atomic
def _store_signals(run: DetectionRun, cube: SeriesCube, found: list) -> None:
    keys = {(s.unit_id, cube.diseases[s.disease_index].pk, cube.week_of(t), name) for s, t, *_, name, _p in found}
    existing = set(
        Signal.objects.filter(week_start__gte=run.first_week, week_start__lte=run.last_week)
        .values_list("unit_id", "disease_id", "week_start", "method")
    )
    rows = [
        Signal(
            unit_id=s.unit_id, disease=cube.diseases[s.disease_index], week_start=cube.week_of(t), method=name,
            params=params, count=int(s.values[t]), expected=_finite(expected), upperbound=_finite(upper), run=run,
        )
        for s, t, expected, upper, name, params in found
    ]
    Signal.objects.bulk_create(
        rows, batch_size=1000, update_conflicts=True, unique_fields=["unit", "disease", "week_start", "method"],
        update_fields=["count", "expected", "upperbound", "params", "run", "updated_at"],
    )
    run.signal_count = len(rows)
    run.new_signal_count = len(keys - existing)
    _link_cases(run, cube, found)


def _link_cases(run: DetectionRun, cube: SeriesCube, found: list) -> None:
    """Attach to each signal the case reports behind its count (cases of its communes, disease and week)."""
    if not found:
        return
    signal_ids = {
        (unit_id, disease_id, week): pk
        for pk, unit_id, disease_id, week in Signal.objects.filter(run=run).values_list(
            "pk", "unit_id", "disease_id", "week_start"
        )
    }
    wanted: dict[tuple[int, int, dt.date], list[int]] = {}
    for s, t, *_ in found:
        key = (s.unit_id, cube.diseases[s.disease_index].pk, cube.week_of(t))
        if key in signal_ids:
            for member in s.member_ids:
                wanted.setdefault((cube.units[member].pk, key[1], key[2]), []).append(signal_ids[key])
    cases = (
        CaseReport.objects.filter(
            week_start__gte=run.first_week, week_start__lte=run.last_week,
            disease_id__in={k[1] for k in wanted}, commune_id__in={k[0] for k in wanted},
        )
        .exclude(classification=Classification.DISCARDED)
        .values_list("pk", "commune_id", "disease_id", "week_start")
    )
    through = Signal.cases.through
    links = [
        through(signal_id=signal_id, casereport_id=pk)
        for pk, commune_id, disease_id, week in cases
        for signal_id in wanted.get((commune_id, disease_id, week), [])
    ]
    through.objects.bulk_create(links, batch_size=5000, ignore_conflicts=True)
