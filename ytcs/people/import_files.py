"""Uploaded resident lists waiting for "Ghi vào sổ": kept on disk only while they are needed.

A dry run that finds no bad row keeps the uploaded file in ``VAR_DIR/imports/`` so that the confirmation
writes exactly the file that was checked. The file holds CCCD, insurance and phone numbers, so it is
deleted as soon as the confirmation has run (written or refused), when the user cancels, and once it is
older than ``settings.YTCS_IMPORT_FILE_MAX_AGE_SECONDS`` (default one hour): an expired file is never
imported, and :func:`pending_purge` removes expired files at every upload, by ``ytcs import purge`` and
when ``ytcs demo`` starts. See docs/security.md.
"""

import time
import uuid
from pathlib import Path

from django.conf import settings


def import_dir() -> Path:
    return Path(settings.VAR_DIR) / "imports"


def max_age_seconds() -> int:
    return int(settings.YTCS_IMPORT_FILE_MAX_AGE_SECONDS)


def _expired(path: Path, now: float) -> bool:
    return now - path.stat().st_mtime > max_age_seconds()


def pending_store(name: str, content: bytes) -> str:
    """Keep ``content`` for its confirmation; the stored name (a random token, then the file's own name)."""
    directory = import_dir()
    directory.mkdir(parents=True, exist_ok=True)
    stored = f"{uuid.uuid4().hex}_{Path(name).name}"
    (directory / stored).write_bytes(content)
    return stored


def pending_read(stored: str) -> bytes | None:
    """The kept file's content, or None when it is gone or expired (an expired file is deleted here)."""
    path = import_dir() / Path(stored).name
    try:
        if _expired(path, time.time()):
            path.unlink(missing_ok=True)
            return None
        return path.read_bytes()
    except FileNotFoundError:
        return None


def pending_discard(stored: str) -> None:
    (import_dir() / Path(stored).name).unlink(missing_ok=True)


def pending_purge() -> int:
    """Delete every kept file older than the maximum age; how many were deleted."""
    directory, now, removed = import_dir(), time.time(), 0
    if not directory.is_dir():
        return 0
    for path in directory.iterdir():
        try:
            if path.is_file() and _expired(path, now):
                path.unlink()
                removed += 1
        except FileNotFoundError:  # confirmed or purged by another process meanwhile
            continue
    return removed
