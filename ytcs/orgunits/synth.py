"""Plausible names for synthesised villages and health workers (pure functions, no database).

Village naming follows regional habit: *tổ dân phố* in wards, *bản* with Tày–Thái
place-name syllables in the northern mountains, *buôn/plei/làng* in the Central
Highlands, *ấp* in the South, *thôn* elsewhere. People's names are written
family name + middle name + given name, never in Western order.
"""

import random

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
