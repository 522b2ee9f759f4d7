"""Security headers on HTML pages and API responses, and templates that the CSP can serve."""

import re
from pathlib import Path

import pytest

import ytcs
from ytcs.accounts.models import User


@pytest.fixture
def user(db) -> User:
    user = User.objects.create(username="header_check", role="station_staff")
    user.set_unusable_password()
    user.save()
    return user


def test_html_page_carries_csp_framing_and_sniffing_headers(client, db):
    response = client.get("/login/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "'unsafe-eval'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_authenticated_html_page_is_not_stored(client, user):
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert "Content-Security-Policy" in response


def test_api_response_carries_the_same_headers(client, user):
    client.force_login(user)
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_session_and_csrf_cookies_are_http_only_or_same_site(settings):
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == settings.CSRF_COOKIE_SAMESITE == "Lax"


def test_templates_have_no_inline_scripts_or_event_handlers():
    """``script-src 'self'`` blocks inline ``<script>`` and ``on…=`` attributes; use static files."""
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
    handler = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
    offenders = [
        str(path.relative_to(Path(ytcs.__file__).parent))
        for path in Path(ytcs.__file__).parent.glob("**/templates/**/*.html")
        if inline_script.search(text := path.read_text(encoding="utf-8")) or handler.search(text)
    ]
    assert offenders == []
