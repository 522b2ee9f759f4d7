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
    ("text", "expected"),
    [
        # a CCCD typed with separators into a search box, as it arrives in the URL
        ("GET /people/search/?q=004.203.616.622 HTTP/1.1", "GET /people/search/?q=[CCCD] HTTP/1.1"),
        ("GET /people/search/?q=0042+0361+6622&page=2", "GET /people/search/?q=[CCCD]&page=2"),
        ("?q=004203-616622", "?q=[CCCD]"),
        ("?q=004%20203%20616%20622", "?q=[CCCD]"),
        ("?q=0042%2B0361%2B6622", "?q=[CCCD]"),
        ("?q=%30%30%34203616622", "?q=[CCCD]"),
        ("CCCD 004 203 616 622 đã có", "CCCD [CCCD] đã có"),
        # phone numbers with +84 (encoded or not) and with 0, grouped
        ("?q=%2B84817614542", "?q=[SĐT]"),
        ("?q=%2b84+817+614+542", "?q=[SĐT]"),
        ("gọi +84 817 614 542 hoặc 84817614542", "gọi [SĐT] hoặc [SĐT]"),
        ("0817 614 542; 0817-614-542; 0817.614.542; 081 761 4542", "[SĐT]; [SĐT]; [SĐT]; [SĐT]"),
        ("cố định 0206 385 2345", "cố định [SĐT]"),
        # BHYT card: 15 characters, glued or in its boxes (group, level, province, BHXH number)
        ("?q=HN2040123456789", "?q=[BHYT]"),
        ("thẻ GD 4 04 0401827642 còn hạn", "thẻ [BHYT] còn hạn"),
        ("thẻ DN4-79-1234567890", "thẻ [BHYT]"),
        # several in one line, each masked, the text between kept
        ("0912.345.678 và 004 203 616 622; 7912345678", "[SĐT] và [CCCD]; [BHXH]"),
    ],
)
def test_identifiers_with_separators_or_url_encoding_are_masked(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "GET /people/12345/ 200",
        "2025-07-01 08:30:00",
        "01-07-2025 08:30",
        "01.07.2025 08:30:15",
        "2025-07-01T08:30:00.123456+07:00",
        "[23/Nov/2026 09:43:00] \"GET /surveillance/curve/?weeks=52 HTTP/1.1\" 200 1234567",
        "\"POST /api/surveillance/cases HTTP/1.1\" 201 0912345",
        "xã 01234 có 3 thôn",
        "ip 192.168.100.10",
        "ip 84.123.145.167",
        "12.5 ms",
        "took 0.912345678 s",
        "detect 0.0123456789 s",
        "CMND 012345678",
        "ms since epoch 1732351380123",
        "?q=nguyen+van+an+2003",
        "Nguy%E1%BB%85n%20V%C4%83n%20An",
    ],
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


def test_a_request_line_with_an_encoded_identifier_goes_out_masked(monkeypatch):
    (handler,) = [h for h in logging.getLogger("django.server").handlers if type(h) is logging.StreamHandler]
    stream = io.StringIO()
    monkeypatch.setattr(handler, "stream", stream)
    logging.getLogger("django.server").info('"%s" %s %s', "GET /people/search/?q=0042+0361+6622 HTTP/1.1", 200, 5123)
    logging.getLogger("django.server").info('"%s" %s %s', "GET /people/search/?q=%2B84817614542 HTTP/1.1", 200, 5123)
    assert stream.getvalue().splitlines() == ['"GET /people/search/?q=[CCCD] HTTP/1.1" 200 5123',
                                              '"GET /people/search/?q=[SĐT] HTTP/1.1" 200 5123']
