import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from ytcs.orgunits.csvio import CsvImportError
from ytcs.orgunits.models import OrgUnit, OrgUnitRollup
from ytcs.orgunits.selectors import units_under
from ytcs.orgunits.services import villages_import

from .conftest import AFTER

Level = OrgUnit.Level
HEADER = "commune_code,village_code,village_name,village_type\n"


@pytest.fixture
def communes(cao_bang):
    """Two current communes of Cao Bằng (a xã and a phường)."""
    xa = cao_bang.children.filter(unit_type="Xã").order_by("code").first()
    phuong = cao_bang.children.filter(unit_type="Phường").order_by("code").first()
    return xa, phuong


def _csv(*rows: str) -> str:
    return HEADER + "".join(r + "\n" for r in rows)


def _errors(text: str) -> list[tuple[int, str]]:
    with pytest.raises(CsvImportError) as info:
        villages_import(csv_text=text)
    return [(e.line, e.column) for e in info.value.errors]


def test_import_creates_villages_under_the_commune_and_reimport_adds_nothing(communes):
    xa, _ = communes
    text = _csv(f"{xa.code},{xa.code}-01,Bản Nà Phia,Bản", f"{xa.code},{xa.code}-02,Bản Khuổi Mạ,ban")
    result = villages_import(csv_text=text)
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    villages = list(xa.children.filter(level=Level.VILLAGE).order_by("code"))
    assert [(v.name, v.unit_type) for v in villages] == [("Bản Nà Phia", "Bản"), ("Bản Khuổi Mạ", "Bản")]
    assert all(v.path == f"{xa.path}{v.pk}/" for v in villages)
    assert OrgUnitRollup.objects.filter(unit__in=villages, current_unit__in=villages, weight=1).count() == 2
    assert set(villages) <= set(units_under(xa, as_of=AFTER))
    again = villages_import(csv_text=text)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    renamed = villages_import(csv_text=_csv(f"{xa.code},{xa.code}-01,Bản Nà Phia Trên,Bản"))
    assert (renamed.created, renamed.updated) == (0, 1)
    assert OrgUnit.objects.filter(level=Level.VILLAGE).count() == 2


def test_unknown_and_malformed_commune_codes_are_refused(communes):
    xa, _ = communes
    assert _errors(_csv("99999,V1,Thôn 1,Thôn", "12AB,V2,Thôn 2,Thôn")) == [(2, "commune_code"), (3, "commune_code")]


def test_malformed_village_code_empty_name_and_bad_type_are_refused(communes):
    xa, _ = communes
    errors = _errors(_csv(f"{xa.code},có dấu cách,Thôn 1,Thôn", f"{xa.code},V2,,Thôn", f"{xa.code},V3,Thôn 3,Làng xã"))
    assert errors == [(2, "village_code"), (3, "village_name"), (4, "village_type")]


def test_duplicates_in_the_file_name_the_first_row(communes):
    xa, _ = communes
    with pytest.raises(CsvImportError) as info:
        villages_import(csv_text=_csv(f"{xa.code},V1,Thôn 1,Thôn", f"{xa.code},V1,Thôn 2,Thôn",
                                      f"{xa.code},V3,thon 1,Thôn"))
    errors = info.value.errors
    assert [(e.line, e.column) for e in errors] == [(3, "village_code"), (4, "village_name")]
    assert "dòng 2" in errors[0].reason and "dòng 2" in errors[1].reason


def test_duplicates_against_the_database_are_refused(communes):
    xa, phuong = communes
    villages_import(csv_text=_csv(f"{xa.code},V1,Thôn 1,Thôn"))
    errors = _errors(_csv(f"{phuong.code},V1,Tổ dân phố 1,Tổ dân phố", f"{xa.code},V9,Thôn 1,Thôn"))
    assert errors == [(2, "village_code"), (3, "village_name")]


def test_one_bad_row_means_nothing_is_written(communes):
    xa, _ = communes
    _errors(_csv(f"{xa.code},V1,Thôn 1,Thôn", f"{xa.code},V2,Thôn 2,Thôn", "99999,V3,Thôn 3,Thôn"))
    assert not OrgUnit.objects.filter(level=Level.VILLAGE).exists()


def test_missing_column_is_reported_on_the_header_line(communes):
    with pytest.raises(CsvImportError) as info:
        villages_import(csv_text="commune_code,village_name\n01234,Thôn 1\n")
    assert [(e.line, e.column) for e in info.value.errors] == [(1, "village_code"), (1, "village_type")]


def test_messages_are_vietnamese_with_an_english_translation(communes):
    with pytest.raises(CsvImportError) as info:
        villages_import(csv_text=_csv("99999,V1,Thôn 1,Thôn"))
    assert str(info.value.errors[0]) == "Dòng 2, cột commune_code: không có xã/phường/đặc khu hiện hành mã 99999"
    with translation.override("en"):
        with pytest.raises(CsvImportError) as info:
            villages_import(csv_text=_csv("99999,V1,Thôn 1,Thôn"))
        message = str(info.value.errors[0])
    assert message == "Line 2, column commune_code: no current commune, ward or special zone 99999"


def test_command_prints_every_error_and_fails(communes, tmp_path, capsys):
    path = tmp_path / "villages.csv"
    path.write_text(_csv("99999,V1,Thôn 1,Thôn", "1,V2,,Thôn"), encoding="utf-8")
    with pytest.raises(CommandError, match="3"):
        call_command("orgunits", "import-villages", str(path))
    err = capsys.readouterr().err
    assert "Dòng 2, cột commune_code" in err and "Dòng 3, cột village_name" in err
