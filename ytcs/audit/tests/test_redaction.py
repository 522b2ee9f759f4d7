"""No CCCD, insurance or phone number reaches a log line."""

import io
import logging

import pytest

from ytcs.audit.redaction import RedactIdentifiersFilter, redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CCCD 001084000999 không hợp lệ", "CCCD [CCCD] không hợp lệ"),
        ("SĐT 0912345678, +84 912 345 678, 0912.345.678", "SĐT [SĐT], [SĐT], [SĐT]"),
        ("thẻ DN4791234567890 / dn4791234567890", "thẻ [BHYT] / [BHYT]"),
        ("mã BHXH 7912345678", "mã BHXH [BHXH]"),
        ("/people/search?cccd=001084000999&x=1", "/people/search?cccd=[CCCD]&x=1"),
    ],
)
def test_identifiers_are_masked(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text", ["GET /people/12345/ 200", "2025-07-01 08:30:00", "xã 01234 có 3 thôn", "ip 192.168.100.10", "12.5 ms"]
)
def test_ordinary_numbers_survive(text):
    assert redact(text) == text


def _capture(logger: logging.Logger) -> io.StringIO:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactIdentifiersFilter())
    logger.addHandler(handler)
    return stream


def test_filter_masks_arguments_and_tracebacks():
    logger = logging.getLogger("ytcs.tests.redaction")
    logger.propagate = False
    stream = _capture(logger)
    logger.warning("duplicate resident %s phone %s", "001084000999", "0912345678")
    try:
        raise ValueError("Key (cccd)=(001084000999) already exists")
    except ValueError:
        logger.exception("import failed for %s", "DN4791234567890")
    output = stream.getvalue()
    assert "001084000999" not in output and "0912345678" not in output and "DN4791234567890" not in output
    assert "duplicate resident [CCCD] phone [SĐT]" in output
    assert "Key (cccd)=([CCCD]) already exists" in output


def test_settings_install_the_filter_on_djangos_request_and_server_loggers():
    for name in ("django.request", "django.server", "django.db.backends", "ytcs.people"):
        logger = logging.getLogger(name)
        while logger is not None and not logger.handlers:
            logger = logger.parent if logger.propagate else None
        configured = [h for h in logger.handlers if type(h) is logging.StreamHandler]
        assert configured, name
        assert all(any(isinstance(f, RedactIdentifiersFilter) for f in h.filters) for h in configured), name


def test_a_request_warning_goes_out_masked(monkeypatch):
    (handler,) = [h for h in logging.getLogger("django").handlers if type(h) is logging.StreamHandler]
    stream = io.StringIO()
    monkeypatch.setattr(handler, "stream", stream)
    logging.getLogger("django.request").warning("Not Found: %s", "/people/lookup/0912345678/")
    assert stream.getvalue().strip() == "Not Found: /people/lookup/[SĐT]/"
