"""Set-up shared by the benchmarks that fill a province: the repository paths and the "Cao Bằng" test tree.

``python bench/_common.py`` (with ``DATABASE_URL`` set) builds that tree in the configured database, so a
benchmark can do it in a child process against its throwaway database: ``run([*BUILD_PROVINCE])``.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BUILD_PROVINCE = [PYTHON, str(Path(__file__).resolve())]


def build_province() -> None:
    """Country → province "Cao Bằng" (code 04) → 100 current communes, the first 8 of them wards."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ytcs.settings")
    import django

    django.setup()
    from datetime import date

    from ytcs.core.text import fold
    from ytcs.orgunits.models import OrgUnit

    def unit(parent: OrgUnit | None, **kw: object) -> OrgUnit:
        u = OrgUnit.objects.create(
            valid_from=date(2025, 7, 1), path="", name_folded=fold(kw["name"]), parent=parent, **kw
        )
        u.path = f"{parent.path if parent else '/'}{u.pk}/"
        u.save(update_fields=["path"])
        return u

    country = unit(None, code="VN", name="Việt Nam", level=0)
    province = unit(country, code="04", name="Cao Bằng", unit_type="Tỉnh", level=1)
    for i in range(100):
        unit(province, code=f"{4000 + i:05d}", name=f"Thử {i + 1}", unit_type="Phường" if i < 8 else "Xã", level=3)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    build_province()
