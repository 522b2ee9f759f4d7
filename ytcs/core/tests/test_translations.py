"""The translation catalogues: complete, compiled, and with the same placeholders on both sides.

Message ids are Vietnamese and the English catalogues translate them; an empty or fuzzy ``msgstr`` shows the
Vietnamese id on an English page, a stale ``.mo`` hides a translation that the ``.po`` has.
"""

import gettext
import re

import pytest

from ytcs.core.tests.po import PACKAGE, po_files, read_po

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


def catalogues(language: str = "en") -> list[dict[str, str]]:
    """Message id → translation of every catalogue in ``language`` (plural forms left out)."""
    return [{e.msgid: e.msgstr.get(0, "") for e in read_po(path) if e.msgid} for path in po_files(language)]


def _name(path) -> str:
    return str(path.relative_to(PACKAGE))


@pytest.mark.parametrize("path", po_files(), ids=_name)
def test_every_message_is_translated_and_none_is_fuzzy(path):
    entries = read_po(path)
    header = entries[0]
    assert header.msgid == "" and "fuzzy" not in header.flags, "the header is fuzzy: msgfmt would drop it"
    assert f"Language: {path.parent.parent.name}\n" in header.msgstr[0], "the header names no language"
    problems = [f"line {e.line}: {e.msgid!r}" + (" is fuzzy" if "fuzzy" in e.flags else " has no translation")
                for e in entries[1:] if "fuzzy" in e.flags or not all(e.msgstr.values())]
    assert not problems, f"{_name(path)}:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", po_files(), ids=_name)
def test_translations_keep_the_placeholders(path):
    problems = []
    for e in read_po(path)[1:]:
        wanted = set(PLACEHOLDER.findall(e.msgid_plural or e.msgid)) | set(PLACEHOLDER.findall(e.msgid))
        for text in e.msgstr.values():
            if set(PLACEHOLDER.findall(text)) - wanted:
                problems.append(f"line {e.line}: {text!r} has a placeholder {e.msgid!r} does not")
    assert not problems, f"{_name(path)}:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", po_files(), ids=_name)
def test_the_compiled_catalogue_is_up_to_date(path):
    """The committed .mo holds exactly the .po's translations (``msgfmt`` was run after the last edit)."""
    with path.with_suffix(".mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog
    expected = {}
    for e in read_po(path)[1:]:
        if "fuzzy" in e.flags or not all(e.msgstr.values()):
            continue  # msgfmt leaves these out
        if e.msgid_plural:
            expected.update({(e.key, n): text for n, text in e.msgstr.items()})
        else:
            expected[e.key] = e.msgstr[0]
    compiled.pop("", None)
    assert compiled == expected, f"{_name(path)}: run msgfmt -o {path.with_suffix('.mo').name} {path.name}"
