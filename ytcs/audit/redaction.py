"""Masking of personal identifiers in log records.

Installed on every log handler in ``settings.LOGGING``: whatever a developer
logs (a message, its arguments, a traceback, a SQL statement with parameters),
no CCCD, social-insurance number, health-insurance card code or phone number
reaches a log line. Any bare 10- or 12-digit number is masked, so a Unix
timestamp in seconds is masked too; that is the price of not guessing.
"""

import logging
import re

_PATTERNS = (
    # Health-insurance card code: 2 letters (group), benefit level, province code, 10-digit BHXH number.
    (re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{13}(?!\d)"), "[BHYT]"),
    # Vietnamese phone numbers: 0 or +84/84, then 9-10 digits, optionally grouped by spaces, dots or dashes.
    (re.compile(r"(?<![\w+])(?:\+84|84|0)(?:[ .-]?\d){9,10}(?!\d)"), "[SĐT]"),
    # CCCD / personal identification number: 12 digits.
    (re.compile(r"(?<!\d)\d{12}(?!\d)"), "[CCCD]"),
    # Social-insurance number (mã số BHXH): 10 digits.
    (re.compile(r"(?<!\d)\d{10}(?!\d)"), "[BHXH]"),
)


def redact(text: str) -> str:
    """``text`` with every identifier-like number replaced by its kind in brackets."""
    for pattern, label in _PATTERNS:
        text = pattern.sub(label, text)
    return text


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
