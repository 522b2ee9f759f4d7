"""The demo network of a province: villages, health facilities and their staff, with plausible names.

``ytcs orgunits synth`` and ``ytcs demo`` call these; the real imports (CSV lists of villages, facilities and
staff) are ``ytcs.orgunits.services`` and ``facility_services``. Writes go through the org-unit services where
one exists (:func:`~ytcs.orgunits.services.villages_write`); facilities and rosters are bulk-created here.

Village naming follows regional habit: *tổ dân phố* in wards, *bản* with Tày–Thái
place-name syllables in the northern mountains, *buôn/plei/làng* in the Central
Highlands, *ấp* in the South, *thôn* elsewhere. People's names are written
family name + middle name + given name, never in Western order.
"""

import random
from datetime import date

from django.db import transaction

from ytcs.core.text import nfc
from ytcs.orgunits.loader import REORGANISATION_DATE
from ytcs.orgunits.models import Cadre, FacilityKind, HealthFacility, OrgUnit, OrgUnitSuccession, StaffMember
from ytcs.orgunits.models import TechnicalLevel as TL
from ytcs.orgunits.services import villages_write

Level = OrgUnit.Level

# New (2025) province codes by region.
NORTHERN_MOUNTAINS = {"04", "08", "11", "12", "14", "15", "19", "20"}
CENTRAL_HIGHLANDS = {"51", "52", "66", "68"}
SOUTH = {"75", "79", "80", "82", "86", "91", "92", "96"}

_TAY_THAI_FIRST = ["Nà", "Pác", "Khuổi", "Nặm", "Phiêng", "Co", "Huổi", "Pá", "Bó", "Lũng", "Nà", "Phai", "Khau", "Bản"]
_TAY_THAI_SECOND = ["Phia", "Mạ", "Lếch", "Hoi", "Cọn", "Pàn", "Muông", "Luông", "Tấu", "Sáng", "Nưa", "Tổng", "Mòn",
                    "Lạn", "Slam", "Pảng", "Ngần", "Vài", "Khoang", "Đon"]
_HIGHLAND_PREFIX = ["Buôn", "Plei", "Làng"]
_HIGHLAND_NAMES = ["Ea Sup", "Kơ Ninh", "Ama Kông", "Tơ Nưng", "Đăk Rơ", "Ia Băng", "Chư Đang", "Krông", "Ko Tu",
                   "Rơ Wai", "Kon Jri", "Đê Ktu"]
_SINO_VIET = ["Đông", "Tây", "Nam", "Bắc", "Trung", "Thượng", "Hạ", "An", "Phú", "Tân", "Hòa", "Bình", "Thịnh", "Lợi",
              "Hưng", "Long", "Phước", "Thành", "Mỹ", "Lộc"]

SURNAMES = [("Nguyễn", 38), ("Trần", 11), ("Lê", 9.5), ("Phạm", 7), ("Hoàng", 5), ("Huỳnh", 3), ("Phan", 4.5),
            ("Vũ", 3.9), ("Võ", 2), ("Đặng", 2.1), ("Bùi", 2), ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1),
            ("Lý", 0.5), ("Nông", 0.6), ("Lò", 0.4), ("Hà", 0.6), ("Lương", 0.5)]
_MIDDLE = {"M": ["Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Thanh"], "F": ["Thị", "Thị", "Ngọc", "Thu", "Thanh"]}
_GIVEN = {"M": ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khánh", "Long", "Nam", "Phong", "Quân", "Sơn",
                "Thắng", "Tuấn", "Việt"],
          "F": ["Anh", "Chi", "Dung", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Nga", "Phương", "Thảo",
                "Trang", "Yến"]}


def village_names(*, province_code: str, commune_type: str, count: int, rng: random.Random) -> list[tuple[str, str]]:
    """``count`` distinct ``(name, village_type)`` pairs fitting the commune's region and type."""
    if commune_type == "Phường":
        return [(f"Tổ dân phố {i}", "Tổ dân phố") for i in range(1, count + 1)]
    if province_code in SOUTH:
        return [(f"Ấp {i}", "Ấp") if rng.random() < 0.6 else (f"Ấp {n}", "Ấp")
                for i, n in zip(range(1, count + 1), _unique(rng, _SINO_VIET, count, 2), strict=True)]
    if province_code in NORTHERN_MOUNTAINS:
        names = _unique(rng, [f"{a} {b}" for a in _TAY_THAI_FIRST for b in _TAY_THAI_SECOND], count)
        return [(f"Bản {n}", "Bản") for n in names]
    if province_code in CENTRAL_HIGHLANDS and rng.random() < 0.5:
        kind = rng.choice(_HIGHLAND_PREFIX)
        return [(f"{kind} {n}", kind) for n in _unique(rng, _HIGHLAND_NAMES, count)]
    return [(f"Thôn {i}", "Thôn") for i in range(1, count + 1)]


def _unique(rng: random.Random, pool: list[str], count: int, words: int = 1) -> list[str]:
    """``count`` distinct names drawn from ``pool`` (joined ``words`` at a time); numbered once the pool runs out."""
    seen: list[str] = []
    for _attempt in range(count * 20):
        if len(seen) == count:
            break
        name = " ".join(rng.sample(pool, words))
        if name not in seen:
            seen.append(name)
    seen.extend(f"{rng.choice(pool)} {i}" for i in range(len(seen) + 1, count + 1))
    return seen


def person_name(rng: random.Random, sex: str | None = None) -> str:
    sex = sex or rng.choice("MF")
    surnames, weights = zip(*SURNAMES, strict=True)
    return f"{rng.choices(surnames, weights)[0]} {rng.choice(_MIDDLE[sex])} {rng.choice(_GIVEN[sex])}"


# --- villages, facilities, staff -----------------------------------------------------------------------


def villages_synthesise(*, commune: OrgUnit, count: int, seed: int) -> list[OrgUnit]:
    """Plausible villages for a demo commune; returns the commune's villages if it already has some.

    Codes are ``<commune code>-<nn>``; names follow the region (:func:`village_names`).
    The same ``seed`` gives the same names, and a second call creates nothing.
    """
    existing = list(commune.children.filter(level=Level.VILLAGE, valid_to__isnull=True).order_by("code"))
    if existing or count <= 0:
        return existing
    rng = random.Random(f"{seed}:{commune.code}")
    province_code = commune.path.strip("/").split("/")
    province = OrgUnit.objects.get(pk=int(province_code[1])) if len(province_code) > 1 else commune
    names = village_names(province_code=province.code, commune_type=commune.unit_type, count=count, rng=rng)
    villages_write(villages=[(commune, f"{commune.code}-{i:02d}", nfc(name), vtype)
                             for i, (name, vtype) in enumerate(names, start=1)])
    return list(commune.children.filter(level=Level.VILLAGE, valid_to__isnull=True).order_by("code"))


def _short(unit: OrgUnit) -> str:
    return unit.name.removeprefix(unit.unit_type).strip() if unit.unit_type else unit.name


def facilities_for_province_create(*, province: OrgUnit, seed: int = 0, station_point_share: float = 0.25
                                   ) -> list[HealthFacility]:
    """The demo network of one current province, created once (existing codes are left as they are).

    One station per commune (``TYT<commune>``), a *điểm trạm* for a share of the
    old communes merged into a larger one (``DTYT<old commune>``, the old
    station kept as a service point), a regional health centre per old
    district (``TTYT<district>``), and the provincial general hospital, an
    obstetrics–paediatrics hospital and the CDC.
    """
    rng = random.Random(f"{seed}:{province.code}")
    communes = list(OrgUnit.objects.filter(parent=province, level=Level.COMMUNE, valid_to__isnull=True)
                    .order_by("code"))
    existing = set(HealthFacility.objects.filter(org_unit__path__startswith=province.path)
                   .values_list("code", flat=True))
    start = max(province.valid_from, REORGANISATION_DATE)
    where = f"{province.unit_type.lower()} {_short(province)}"
    planned: list[HealthFacility] = [
        HealthFacility(code=f"BVDK{province.code}", name=f"Bệnh viện Đa khoa {where}", org_unit=province,
                       kind=FacilityKind.PROVINCIAL_GENERAL_HOSPITAL, technical_level=TL.SPECIALISED,
                       beds=rng.randrange(600, 1500, 10), valid_from=start),
        HealthFacility(code=f"BVSN{province.code}", name=f"Bệnh viện Sản - Nhi {where}", org_unit=province,
                       kind=FacilityKind.SPECIALISED_HOSPITAL, technical_level=TL.BASIC,
                       beds=rng.randrange(200, 500, 10), valid_from=start),
        HealthFacility(code=f"CDC{province.code}", name=f"Trung tâm Kiểm soát bệnh tật {where}", org_unit=province,
                       kind=FacilityKind.PROVINCIAL_CDC, technical_level="", beds=0, valid_from=start),
    ]
    stations = {}
    for commune in communes:
        stations[commune.pk] = HealthFacility(
            code=f"TYT{commune.code}", name=f"Trạm y tế {commune.unit_type.lower()} {_short(commune)}",
            kind=FacilityKind.COMMUNE_STATION, technical_level=TL.PRIMARY, org_unit=commune,
            beds=rng.randint(3, 10), valid_from=start)
    planned.extend(stations.values())
    edges = (OrgUnitSuccession.objects.filter(successor__in=communes, weight_source="whole",
                                              predecessor__level=Level.COMMUNE)
             .select_related("predecessor").order_by("successor_id", "predecessor__code"))
    first_seen = set()
    points: list[tuple[HealthFacility, str]] = []
    for edge in edges:
        if edge.successor_id not in first_seen:  # the first old commune's station became the main station
            first_seen.add(edge.successor_id)
        elif rng.random() < station_point_share:
            points.append((HealthFacility(
                code=f"DTYT{edge.predecessor.code}", name=f"Điểm trạm y tế {_short(edge.predecessor)}",
                kind=FacilityKind.STATION_POINT, technical_level=TL.PRIMARY, org_unit_id=edge.successor_id,
                beds=rng.randint(0, 2), valid_from=start), stations[edge.successor_id].code))
    districts = (OrgUnitSuccession.objects.filter(successor__in=communes, predecessor__level=Level.DISTRICT)
                 .select_related("predecessor").order_by("predecessor__code", "-weight", "successor__code"))
    placed = set()
    for edge in districts:
        if edge.predecessor_id not in placed:  # the centre sits in the commune holding most of the district
            placed.add(edge.predecessor_id)
            planned.append(HealthFacility(
                code=f"TTYT{edge.predecessor.code}", name=f"Trung tâm y tế khu vực {_short(edge.predecessor)}",
                kind=FacilityKind.HEALTH_CENTRE, technical_level=TL.BASIC, org_unit_id=edge.successor_id,
                beds=rng.randrange(50, 250, 10), valid_from=start))
    with transaction.atomic():
        HealthFacility.objects.bulk_create([f for f in planned if f.code not in existing], batch_size=1000)
        station_ids = dict(HealthFacility.objects.filter(code__in={c for _, c in points}).values_list("code", "pk"))
        for point, station_code in points:
            point.parent_id = station_ids[station_code]
        HealthFacility.objects.bulk_create([p for p, _ in points if p.code not in existing], batch_size=1000)
    return list(HealthFacility.objects.filter(org_unit__path__startswith=province.path).order_by("code"))


_QUALIFICATIONS = {
    Cadre.DOCTOR: ["Bác sĩ đa khoa", "Bác sĩ y học dự phòng", "Bác sĩ chuyên khoa I", "Bác sĩ y học cổ truyền"],
    Cadre.ASSISTANT_DOCTOR: ["Y sĩ đa khoa", "Y sĩ sản nhi"],
    Cadre.NURSE: ["Điều dưỡng cao đẳng", "Điều dưỡng trung cấp", "Cử nhân điều dưỡng"],
    Cadre.MIDWIFE: ["Hộ sinh trung cấp", "Hộ sinh cao đẳng"],
    Cadre.PHARMACIST: ["Dược sĩ trung cấp", "Dược sĩ đại học"],
    Cadre.TRADITIONAL_MEDICINE: ["Y sĩ y học cổ truyền", "Lương y"],
}


def staff_synthesise(*, province: OrgUnit, seed: int = 0, doctor_share: float = 0.7,
                     permanent_doctor_share: float = 0.85, village_worker_share: float = 0.9,
                     trained_worker_share: float = 0.9, as_of: date | None = None) -> int:
    """Demo rosters for the commune stations of ``province`` that have none; returns the number of people created.

    The shares are parameters, not facts: ``doctor_share=0.7`` echoes the 2012
    WHO/MoH service-delivery profile (70% of communes had a doctor) and is not a
    current figure. Doctors who are not permanent stand for rotating doctors.
    """
    rng = random.Random(f"staff:{seed}:{province.code}")
    start = as_of or REORGANISATION_DATE
    stations = list(HealthFacility.objects.filter(kind=FacilityKind.COMMUNE_STATION,
                                                  org_unit__path__startswith=province.path)
                    .exclude(staff__isnull=False).select_related("org_unit").order_by("code"))
    villages: dict[int, list[OrgUnit]] = {}
    for village in OrgUnit.objects.filter(level=Level.VILLAGE, valid_to__isnull=True,
                                          path__startswith=province.path).order_by("code"):
        villages.setdefault(village.parent_id, []).append(village)
    people = []
    for station in stations:
        roster: list[tuple[str, bool, bool, OrgUnit | None]] = []
        if rng.random() < doctor_share:
            roster.append((Cadre.DOCTOR, rng.random() < permanent_doctor_share, True, None))
            if rng.random() < 0.25:
                roster.append((Cadre.DOCTOR, True, True, None))
        roster += [(Cadre.ASSISTANT_DOCTOR, True, True, None)] * rng.randint(1, 2)
        roster += [(Cadre.NURSE, True, True, None)] * rng.randint(1, 2)
        roster.append((Cadre.MIDWIFE, True, True, None))
        if rng.random() < 0.6:
            roster.append((Cadre.PHARMACIST, True, True, None))
        if rng.random() < 0.4:
            roster.append((Cadre.TRADITIONAL_MEDICINE, True, True, None))
        for village in villages.get(station.org_unit_id, []):
            if rng.random() < village_worker_share:
                roster.append((Cadre.VILLAGE_HEALTH_WORKER, False, rng.random() < trained_worker_share, village))
        for n, (cadre, permanent, trained, village) in enumerate(roster, start=1):
            sex = "F" if cadre in (Cadre.MIDWIFE, Cadre.NURSE) and rng.random() < 0.8 else None
            qualification = (rng.choice(_QUALIFICATIONS[cadre]) if cadre in _QUALIFICATIONS
                             else ("Tập huấn nhân viên y tế thôn bản" if trained else ""))
            people.append(StaffMember(
                facility=station, staff_code=f"NV{n:03d}", full_name=person_name(rng, sex), cadre=cadre,
                qualification=qualification, is_permanent=permanent, is_trained=trained, village=village,
                active_from=start,
            ))
    with transaction.atomic():
        StaffMember.objects.bulk_create(people, batch_size=1000)
    return len(people)
