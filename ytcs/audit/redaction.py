"""Masking of personal identifiers in log records.

Installed on every log handler in ``settings.LOGGING``: whatever a developer
logs (a message, its arguments, a traceback, a SQL statement with parameters),
no CCCD, social-insurance number, health-insurance card code or phone number
reaches a log line.

People type identifiers with separators, and a URL carries them encoded
(``?q=004.203.616.622``, ``0042+0361+6622``, ``%2B84817614542``). So every run
of digits is read after URL-decoding (``%2B``, ``%20``, ``%2D``, ``%2E`` and
encoded digits), with single spaces, dots, dashes or plus signs allowed between
digit groups:

- a number without separators is masked by its length alone (12 digits CCCD,
  10 digits BHXH, ``0``/``84``/``+84`` and 9-10 digits a phone, two letters and
  13 digits a BHYT card). A Unix timestamp in seconds is masked too; that is the
  price of not guessing.
- groups joined by separators are masked only when they spell a CCCD or a phone
  number, which always start with ``0`` (phones also ``84``/``+84``), with one
  kind of separator and at least two digits per group; a lone group after a
  point is a number's decimals. So dates (``01-07-2025 08:30``), durations
  (``0.0123456789 s``), IPv4 addresses and the ``status size`` of a request line
  stay readable.
"""

import logging
import re

# A run: an optional card group code (two letters) or a leading plus, then digits with single separators.
_RUN = re.compile(
    r"(?:(?<![A-Za-z0-9])(?P<letters>[A-Za-z]{2})[ .\-+]?|(?<![0-9+])(?P<plus>\+))?"
    r"(?<![0-9])(?P<body>[0-9](?:[ .\-+]?[0-9])*)(?![0-9])"
)
_GROUP = re.compile(r"[0-9]+")
# Percent-escapes decoded before matching; any other escape stands for a character that is never part of a run.
_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
_DECODED = {"%20": " ", "%2B": "+", "%2D": "-", "%2E": ".", **{f"%3{d}": d for d in "0123456789"}}
_MAX_DIGITS = 13  # the longest identifier: the 13 digits of a BHYT card after its group code


def _decode(text: str) -> tuple[str, list[int] | None]:
    """``text`` with the escapes above decoded, and where each decoded character starts in ``text``.

    The positions are None when ``text`` has no escape (decoded and original are then the same string).
    """
    if "%" not in text:
        return text, None
    decoded, starts, position = [], [], 0
    for escape in _ESCAPE.finditer(text):
        decoded.append(text[position:escape.start()])
        starts.extend(range(position, escape.start()))
        decoded.append(_DECODED.get(escape.group().upper(), "%"))
        starts.append(escape.start())
        position = escape.end()
    decoded.append(text[position:])
    starts.extend(range(position, len(text) + 1))
    return "".join(decoded), starts


def _is_ipv4(groups: list[str], separator: str) -> bool:
    return separator == "." and len(groups) == 4 and all(
        len(g) <= 3 and int(g) <= 255 and (g == "0" or not g.startswith("0")) for g in groups)


def _kind(groups: list[str], separator: str) -> str | None:
    """The identifier these digit groups spell: one group, or groups joined by one kind of separator."""
    digits = "".join(groups)
    phone = len(digits) in ((11, 12) if digits.startswith("84") else (10, 11) if digits.startswith("0") else ())
    if len(groups) == 1:
        return "[SĐT]" if phone else {12: "[CCCD]", 10: "[BHXH]"}.get(len(digits))
    if _is_ipv4(groups, separator):
        return None
    if phone:
        return "[SĐT]"
    return "[CCCD]" if digits.startswith("0") and len(digits) == 12 else None


def _spans(i: int, groups: list[str], separators: list[str]) -> list[int]:
    """Last groups ``j`` for which groups i..j may spell one identifier, longest first.

    Joined groups share one separator and have two digits or more each; a lone group right after a point is
    the decimals of a number (``0.0123456789 s``), not an identifier.
    """
    ends = [] if i > 0 and separators[i - 1] == "." else [i]
    total, j = len(groups[i]), i
    while (j + 1 < len(groups) and len(groups[i]) > 1 and len(groups[j + 1]) > 1
           and separators[j] == separators[i] and total + len(groups[j + 1]) <= _MAX_DIGITS):
        j += 1
        total += len(groups[j])
        ends.append(j)
    return ends[::-1]


def _mask_run(run: re.Match) -> list[tuple[int, int, str]]:
    """(start, end, label) of each identifier in one run, as positions in the decoded text."""
    offset = run.start("body")
    found = list(_GROUP.finditer(run.group("body")))
    groups = [m.group() for m in found]
    separators = [run.group("body")[a.end():b.start()] for a, b in zip(found, found[1:], strict=False)]
    if run.group("letters") and len("".join(groups)) == _MAX_DIGITS and len(set(separators)) <= 1 \
            and groups[0][0] in "12345" and (run.end("letters") == offset or len(groups) > 1):
        # "DN4791234567890", or written in its boxes "DN 4 79 1234567890"; not a word before a long number
        return [(run.start(), run.end(), "[BHYT]")]
    masks, i = [], 0
    while i < len(groups):
        for j in _spans(i, groups, separators):
            label = _kind(groups[i:j + 1], separators[i] if j > i else "")
            if label:
                plus = i == 0 and run.group("plus") is not None
                masks.append((run.start("plus") if plus else offset + found[i].start(), offset + found[j].end(), label))
                i = j
                break
        i += 1
    return masks


def redact(text: str) -> str:
    """``text`` with every identifier-like number replaced by its kind in brackets."""
    if not any(c.isdigit() for c in text):
        return text
    decoded, starts = _decode(text)
    parts, position = [], 0
    for run in _RUN.finditer(decoded):
        for start, end, label in _mask_run(run):
            if starts is not None:
                start, end = starts[start], starts[end]
            parts += [text[position:start], label]
            position = end
    parts.append(text[position:])
    return "".join(parts)


class RedactIdentifiersFilter(logging.Filter):
    """Rewrites a record's message, arguments, traceback and stack into their redacted text."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed record must still be logged, redacted
            message = f"{record.msg!r} {record.args!r}"
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
