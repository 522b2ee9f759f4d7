"""Uploaded lists waiting for confirmation hold CCCD and phone numbers: they expire and are purged."""

import os
import time
from io import StringIO

import pytest
from django.core.management import call_command

from ytcs.people.import_files import import_dir, pending_discard, pending_purge, pending_read, pending_store

CONTENT = "ho_ten,gioi_tinh,ngay_sinh,cccd\nNông Văn Dền,Nam,02/03/1980,004080001234\n".encode()


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.YTCS_IMPORT_FILE_MAX_AGE_SECONDS = 3600
    return tmp_path


def age(stored: str, seconds: float) -> None:
    """Pretend ``stored`` was uploaded ``seconds`` ago."""
    then = time.time() - seconds
    os.utime(import_dir() / stored, (then, then))


def test_a_stored_file_is_read_back_until_it_expires():
    stored = pending_store("../../danh sách.csv", CONTENT)
    assert stored.endswith("_danh sách.csv") and (import_dir() / stored).is_file()
    assert pending_read(stored) == CONTENT
    age(stored, 3601)
    assert pending_read(stored) is None
    assert not (import_dir() / stored).exists()


def test_discard_deletes_the_file():
    stored = pending_store("ds.csv", CONTENT)
    pending_discard(stored)
    assert list(import_dir().iterdir()) == []
    assert pending_read(stored) is None


def test_purge_deletes_only_expired_files(settings):
    old, fresh = pending_store("old.csv", CONTENT), pending_store("fresh.csv", CONTENT)
    age(old, 3601)
    age(fresh, 3500)
    assert pending_purge() == 1
    assert [p.name for p in import_dir().iterdir()] == [fresh]
    settings.YTCS_IMPORT_FILE_MAX_AGE_SECONDS = 60
    assert pending_purge() == 1 and list(import_dir().iterdir()) == []


def test_purge_without_any_upload_yet_is_a_no_op(var_dir):
    assert pending_purge() == 0
    assert not (var_dir / "imports").exists()


def test_ytcs_import_purge_command():
    old, fresh = pending_store("old.csv", CONTENT), pending_store("fresh.csv", CONTENT)
    age(old, 7200)
    out = StringIO()
    call_command("import", "purge", stdout=out)
    assert "Đã xoá 1 tệp chờ xác nhận quá 60 phút" in out.getvalue()
    assert [p.name for p in import_dir().iterdir()] == [fresh]
