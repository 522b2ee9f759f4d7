"""``population_synthesise``: build a province's synthetic population in one transaction.

Synthetic households are recognisable by their code, ``SYN-<province>-<number>``, so a rerun can refuse,
append, or replace exactly the synthetic part and never touches real registrations.
"""

import difflib
import math
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import numpy as np
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditAction
from ytcs.audit.services import audit_record
from ytcs.audit.vocabulary import ResourceType
from ytcs.core.text import fold
from ytcs.orgunits.models import OrgUnit
from ytcs.people.models import Household, Resident
from ytcs.synth.orgunits import villages_synthesise
from ytcs.synth.people import data, generator, households
from ytcs.synth.people.ids import UniqueNumbers
from ytcs.synth.people.writer import BulkWriter, indexes_rebuilt_after

CHUNK_SIZE = 50_000  # part of the determinism contract: same seed and chunk size give the same people
PEOPLE_PER_VILLAGE = 400
MAX_PEOPLE = 10_000_000
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_PROVINCE_PREFIXES = ("thanh pho ", "tinh ", "tp. ", "tp ")


class Mode(StrEnum):
    REFUSE = "refuse"
    APPEND = "append"
    REPLACE = "replace"


class SynthInputError(ValueError):
    """Input refused before anything is written; ``field`` names the argument at fault."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class SynthResult:
    province: OrgUnit
    people: int
    households: int
    villages: int
    seconds: float


def _bare(folded: str) -> str:
    for prefix in _PROVINCE_PREFIXES:
        if folded.startswith(prefix):
            return folded[len(prefix):]
    return folded


def province_find(name: str) -> OrgUnit:
    """The current province called ``name`` (diacritics, case and "Tỉnh"/"Thành phố" ignored) or its code."""
    provinces = list(OrgUnit.objects.filter(level=OrgUnit.Level.PROVINCE, valid_to=None))
    wanted = _bare(fold(name))
    by_name = {_bare(fold(p.name)): p for p in provinces}
    if wanted in by_name:
        return by_name[wanted]
    if wanted.isdigit():
        for p in provinces:
            if p.code.isdigit() and int(p.code) == int(wanted):
                return p
    near = difflib.get_close_matches(wanted, list(by_name), n=3, cutoff=0.6)
    if near:
        hint = _("gần giống: %(names)s") % {"names": ", ".join(by_name[n].name for n in near)}
    elif provinces:
        hint = _("không có tỉnh nào có tên gần giống")
    else:
        hint = _("chưa có đơn vị hành chính nào; hãy chạy `ytcs orgunits load` trước")
    raise SynthInputError("--province", _("không tìm thấy tỉnh/thành phố hiện hành “%(name)s” (%(hint)s)")
                          % {"name": name, "hint": hint})


def _check_inputs(*, people: int, seed: int, as_of: date, shares: dict[str, float]) -> None:
    if not 1 <= people <= MAX_PEOPLE:
        raise SynthInputError("--people", _("phải là số nguyên từ 1 đến %(max)s (nhận được: %(value)s)")
                              % {"max": f"{MAX_PEOPLE:,}", "value": people})
    if seed < 0:
        raise SynthInputError("--seed", _("phải là số nguyên không âm (nhận được: %(value)s)") % {"value": seed})
    if not 2000 <= as_of.year <= 2099:
        raise SynthInputError("--as-of", _("năm phải trong khoảng 2000–2099 (nhận được: %(value)s)")
                              % {"value": as_of.isoformat()})
    for field, value in shares.items():
        if not 0.0 <= value <= 1.0:
            raise SynthInputError(field, _("phải là tỉ lệ từ 0 đến 1 (nhận được: %(value)s)") % {"value": value})


def unit_label(unit: OrgUnit) -> str:
    """"Xã Hưng Đạo" whether the unit is stored as name "Hưng Đạo" + type "Xã" or with the type in its name."""
    if not unit.unit_type or fold(unit.name).startswith(fold(unit.unit_type)):
        return unit.name
    return f"{unit.unit_type} {unit.name}"


def household_prefix(province: OrgUnit) -> str:
    return f"SYN-{province.code}-"


def population_synthesise(
    *,
    province: OrgUnit,
    people: int,
    seed: int,
    as_of: date,
    bhyt_coverage: float | None = None,
    cccd_adult_share: float | None = None,
    cccd_child_share: float | None = None,
    mode: Mode = Mode.REFUSE,
    on_progress: Callable[[int], None] | None = None,
) -> SynthResult:
    """Create ``people`` synthetic residents in households spread over the province's current communes.

    All inputs are checked before the first write and the whole run is one transaction, so a refused
    input or a crash leaves the database as it was.
    """
    p = data.params()
    ctx = generator.Context(
        as_of=as_of,
        province_code=province.code,
        bhyt_coverage=p["bhyt"]["coverage"] if bhyt_coverage is None else bhyt_coverage,
        cccd_adult_share=p["cccd"]["issued_share_adult"] if cccd_adult_share is None else cccd_adult_share,
        cccd_child_share=p["cccd"]["issued_share_child"] if cccd_child_share is None else cccd_child_share,
    )
    _check_inputs(people=people, seed=seed, as_of=as_of, shares={
        "--bhyt-coverage": ctx.bhyt_coverage, "--cccd-adult-share": ctx.cccd_adult_share,
        "--cccd-child-share": ctx.cccd_child_share,
    })
    if not province.code.isdigit():
        raise SynthInputError("--province", _("mã tỉnh “%(code)s” không phải mã số GSO") % {"code": province.code})
    communes = list(
        OrgUnit.objects.filter(level=OrgUnit.Level.COMMUNE, valid_to=None, path__startswith=province.path)
        .order_by("code", "pk")
    )
    if not communes:
        raise SynthInputError("--province", _("tỉnh “%(name)s” chưa có xã/phường hiện hành nào")
                              % {"name": province.name})
    started = time.monotonic()
    prefix = household_prefix(province)
    with transaction.atomic():
        synthetic = Household.objects.filter(code__startswith=prefix)
        if mode == Mode.REFUSE and synthetic.exists():
            raise SynthInputError("--province", _(
                "tỉnh “%(name)s” đã có dân cư tổng hợp; dùng --append để thêm hoặc --replace để tạo lại"
            ) % {"name": province.name})
        if mode == Mode.REPLACE:
            _delete_residents(Resident.objects.filter(household__code__startswith=prefix))
            synthetic.delete()
        last_code = synthetic.order_by("-code").values_list("code", flat=True).first()
        next_number = int(last_code[len(prefix):]) + 1 if last_code else 1
        with indexes_rebuilt_after([Household, Resident], rows=people):
            result = _generate_and_write(
                ctx, seed=seed, people=people, communes=communes, prefix=prefix, next_number=next_number,
                on_progress=on_progress,
            )
        audit_record(
            context=AuditContext.system("synth"), action=AuditAction.CREATE, resource_type=ResourceType.RESIDENT,
            resource_id=f"synth:{province.code}",
            changes={"synth": [None, {"province": province.code, "people": people, "seed": seed,
                                      "as_of": as_of.isoformat(), "mode": str(mode)}]},
        )
    households_written, villages = result
    return SynthResult(province=province, people=people, households=households_written, villages=villages,
                       seconds=time.monotonic() - started)


def _generate_and_write(
    ctx: generator.Context, *, seed: int, people: int, communes: list[OrgUnit], prefix: str, next_number: int,
    on_progress: Callable[[int], None] | None,
) -> tuple[int, int]:
    weights = np.random.default_rng([seed, 1]).lognormal(0.0, 0.4, len(communes))
    weights /= weights.sum()
    village_lists = [
        villages_synthesise(commune=c, seed=seed,
                            count=min(max(round(people * w / PEOPLE_PER_VILLAGE), 3), 60))
        for c, w in zip(communes, weights, strict=True)
    ]
    village_counts = np.array([len(v) for v in village_lists])
    village_offsets = np.concatenate([[0], np.cumsum(village_counts)[:-1]])
    all_villages = [v for vs in village_lists for v in vs]
    village_ids = np.array([v.pk for v in all_villages], dtype=np.int64)
    commune_of_village = np.repeat(np.array([c.pk for c in communes], dtype=np.int64), village_counts)
    addresses = np.array(
        [f"{unit_label(v)}, {unit_label(c)}" for c, vs in zip(communes, village_lists, strict=True) for v in vs],
        dtype=object,
    )

    maker = _ChunkMaker(
        ctx, seed=seed, people=people, weights=weights, prefix=prefix, next_number=next_number,
        village_ids=village_ids, village_offsets=village_offsets, village_counts=village_counts,
        commune_of_village=commune_of_village, addresses=addresses,
    )
    writer = BulkWriter()
    # One worker thread generates and formats chunk k+1 while this thread streams chunk k to the database:
    # numpy and the driver release the GIL, so the two cores both work.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending: Future | None = None
        for chunk_no in range(maker.chunks):
            size = maker.size(chunk_no)
            ids = writer.reserve_ids(Household, size), writer.reserve_ids(Resident, size)  # households <= people
            future = pool.submit(maker.make, writer, chunk_no, *ids)
            if pending is not None:
                _send(writer, pending, on_progress)
            pending = future
        if pending is not None:
            _send(writer, pending, on_progress)
    return maker.households_written, len(all_villages)


def _send(writer: BulkWriter, future: Future, on_progress: Callable[[int], None] | None) -> None:
    batches, size = future.result()
    for batch in batches:
        writer.send(batch)
    if on_progress:
        on_progress(size)


class _ChunkMaker:
    """Draws and formats chunks in order; runs in the worker thread, so it never queries the database."""

    def __init__(
        self, ctx: generator.Context, *, seed: int, people: int, weights: np.ndarray, prefix: str, next_number: int,
        village_ids: np.ndarray, village_offsets: np.ndarray, village_counts: np.ndarray,
        commune_of_village: np.ndarray, addresses: np.ndarray,
    ) -> None:
        self.ctx, self.seed, self.people, self.weights = ctx, seed, people, weights
        self.prefix, self.next_number = prefix, next_number
        self.village_ids, self.village_offsets, self.village_counts = village_ids, village_offsets, village_counts
        self.commune_of_village, self.addresses = commune_of_village, addresses
        self.chunks = math.ceil(people / CHUNK_SIZE)
        self.households_written = 0
        self.cccds = UniqueNumbers(Resident.objects.exclude(cccd=None).values_list("cccd", flat=True), random_digits=6)
        self.sins = UniqueNumbers(
            Resident.objects.exclude(social_insurance_number=None).values_list("social_insurance_number", flat=True),
            random_digits=8,
        )
        self.now = connection.ops.adapt_datetimefield_value(timezone.now())

    def size(self, chunk_no: int) -> int:
        return min(CHUNK_SIZE, self.people - chunk_no * CHUNK_SIZE)

    def make(self, writer: BulkWriter, chunk_no: int, household_ids: np.ndarray, resident_ids: np.ndarray) -> tuple:
        ctx, size = self.ctx, self.size(chunk_no)
        rng = np.random.default_rng([self.seed, 0, chunk_no])
        chunk = generator.generate_chunk(rng, size, ctx)
        commune_idx = rng.choice(len(self.weights), size=chunk.household_count, p=self.weights)
        village_idx = self.village_offsets[commune_idx] + (
            rng.random(chunk.household_count) * self.village_counts[commune_idx]
        ).astype(np.int64)
        cccd = np.full(size, -1, dtype=np.int64)
        issued = chunk.cccd_prefix >= 0
        cccd[issued] = self.cccds.complete(rng, chunk.cccd_prefix[issued])
        sin = np.full(size, -1, dtype=np.int64)
        insured = chunk.bhyt_group >= 0
        sin[insured] = self.sins.complete(rng, np.full(int(insured.sum()), int(ctx.province_code), dtype=np.int64))

        household_ids = household_ids[: chunk.household_count]
        first = self.next_number + self.households_written
        households = writer.prepare(Household, {
            "id": household_ids.tolist(),
            "code": [f"{self.prefix}{n:07d}" for n in range(first, first + chunk.household_count)],
            "village_id": self.village_ids[village_idx].tolist(),
            "commune_id": self.commune_of_village[village_idx].tolist(),
            "address": self.addresses[village_idx].tolist(),
            "head_id": resident_ids[chunk.heads].tolist(),
            "created_at": self.now, "updated_at": self.now,
        }, chunk.household_count)
        person_village = village_idx[chunk.household]
        residents = writer.prepare(Resident, _resident_columns(
            chunk, ctx, ids=resident_ids, household_ids=household_ids[chunk.household],
            village_ids=self.village_ids[person_village], commune_ids=self.commune_of_village[person_village],
            cccd=cccd, sin=sin, now=self.now,
        ), size)
        self.households_written += chunk.household_count
        return [households, residents], size


def _as_dates(ordinals: np.ndarray, empty: int | None = None) -> list:
    """ISO dates (how both databases take a date in bulk) for date ordinals; None where ``ordinals == empty``."""
    text = np.datetime_as_string((ordinals - _EPOCH_ORDINAL).astype("datetime64[D]")).astype(object)
    if empty is not None:
        text[ordinals == empty] = None
    return text.tolist()


def _strings(numbers: np.ndarray, template: str) -> list:
    return [None if n < 0 else template.format(n) for n in numbers.tolist()]


def _resident_columns(
    chunk: generator.Chunk, ctx: generator.Context, *, ids: np.ndarray, household_ids: np.ndarray,
    village_ids: np.ndarray, commune_ids: np.ndarray, cccd: np.ndarray, sin: np.ndarray, now: object,
) -> dict:
    tables = generator.name_tables()
    words = np.array(tables.vocabulary.words, dtype=object)
    folded = np.array(tables.vocabulary.folded, dtype=object)
    space = np.array(" ", dtype=object)
    full_name = words[chunk.family] + space + words[chunk.middle] + space + words[chunk.given]
    name_folded = folded[chunk.family] + space + folded[chunk.middle] + space + folded[chunk.given]
    groups = generator.bhyt_groups()
    levels = data.params()["bhyt"]["levels"]
    card_prefix = [f"{g}{levels[g]}{int(ctx.province_code):02d}" for g in groups]
    sin_text = _strings(sin, "{:010d}")
    cards = [card_prefix[g] + s if s else "" for g, s in zip(chunk.bhyt_group.tolist(), sin_text, strict=True)]
    return {
        "id": ids.tolist(),
        "household_id": household_ids.tolist(),
        "relationship_to_head": np.array(households.RELATIONSHIPS, dtype=object)[chunk.relationship].tolist(),
        "commune_id": commune_ids.tolist(),
        "village_id": village_ids.tolist(),
        "family_name": words[chunk.family].tolist(),
        "middle_name": words[chunk.middle].tolist(),
        "given_name": words[chunk.given].tolist(),
        "full_name": full_name.tolist(),
        "name_folded": name_folded.tolist(),
        "sex": np.where(chunk.male, "M", "F").tolist(),
        "birth_date": _as_dates(chunk.birth_ordinal),
        "birth_year": chunk.birth_year.tolist(),
        "ethnicity": np.array(ctx.mix.ethnicities, dtype=object)[chunk.ethnicity].tolist(),
        "occupation": np.array(generator.occupations(), dtype=object)[chunk.occupation].tolist(),
        "cccd": _strings(cccd, "{:012d}"),
        "phone": [("" if n < 0 else f"0{n:09d}") for n in chunk.phone.tolist()],
        "bhyt_card_number": cards,
        "social_insurance_number": sin_text,
        "bhyt_valid_from": _as_dates(chunk.bhyt_valid_from, empty=0),
        "bhyt_valid_to": _as_dates(chunk.bhyt_valid_to, empty=0),
        "date_of_death": None,
        "created_at": now,
        "updated_at": now,
    }


def _delete_residents(residents: "models.QuerySet[Resident]") -> None:
    """Delete synthetic residents together with the records that protect them (visits, cases...)."""
    for relation in Resident._meta.related_objects:
        if relation.on_delete is models.PROTECT:
            relation.related_model._base_manager.filter(**{f"{relation.field.name}__in": residents}).delete()
    residents.delete()
