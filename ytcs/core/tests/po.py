"""A reader of gettext ``.po`` files, enough for the translation tests (no dependency on polib or msgfmt)."""

import ast
from dataclasses import dataclass, field
from pathlib import Path

import ytcs

PACKAGE = Path(ytcs.__file__).resolve().parent


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> str:
        """The key gettext uses in a compiled catalogue: the context and the id joined by EOT."""
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else self.msgid


def po_files(language: str | None = None) -> list[Path]:
    """Every catalogue of the project (the shell's and each app's), optionally of one language."""
    return sorted(p for p in PACKAGE.glob("**/locale/*/LC_MESSAGES/django.po")
                  if language is None or p.parent.parent.name == language)


def read_po(path: Path) -> list[Entry]:
    """The entries of ``path``, the header (empty msgid) first; obsolete ``#~`` entries are left out."""
    entries: list[Entry] = []
    entry, target = Entry(), ""
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if entry.msgstr and (line.startswith(("#", "msgctxt ", "msgid "))):
            entries.append(entry)
            entry = Entry()
        if line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith('"'):
            _append(entry, target, ast.literal_eval(line))
        elif not line.startswith("#"):
            target, _, value = line.partition(" ")
            entry.line = entry.line or number
            _append(entry, target, ast.literal_eval(value), start=True)
    if entry.msgstr:
        entries.append(entry)
    return entries


def _append(entry: Entry, target: str, text: str, *, start: bool = False) -> None:
    if target in ("msgid", "msgid_plural", "msgctxt"):
        setattr(entry, target, text if start else (getattr(entry, target) or "") + text)
    elif target.startswith("msgstr"):
        index = int(target[7:-1]) if target != "msgstr" else 0
        entry.msgstr[index] = text if start else entry.msgstr.get(index, "") + text
