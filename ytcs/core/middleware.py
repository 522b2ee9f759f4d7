"""Security headers that Django's SecurityMiddleware does not set itself, and the API's body-size refusal."""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# No inline <script> and no eval: scripts come only from our own static files (vendored htmx included).
# Inline styles stay allowed because htmx injects its indicator style.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(self), payment=(), usb=()"


class SecurityHeadersMiddleware:
    """Adds CSP and a restrictive Permissions-Policy; marks personal-data responses ``no-store``.

    A view (or the scoping layer) flags a response as carrying personal data by
    setting ``response.personal_data = True``; every response to a logged-in
    user is treated the same way, because nearly all of them show people, and a
    shared station computer or a proxy must not keep a copy.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        user = getattr(request, "user", None)
        if getattr(response, "personal_data", False) or (
            user is not None and user.is_authenticated and not request.path.startswith(self.static_prefix)
        ):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response


class ApiBodyLimitMiddleware:
    """Answers an API request whose body is too large with 413 and the API's JSON error body.

    Django refuses to hold a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` in memory (``RequestDataTooBig``),
    and by default that becomes its HTML 400 page and a traceback in the log. For ``/api/`` the body is
    read here, before authentication and the endpoint (which get it from memory), so the refusal is one
    JSON answer and one warning line from ``django.request`` ("Request Entity Too Large: <path>"), without
    the body. Multipart bodies are left to Django, which streams their files to disk.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith("/api/") and not request.content_type.startswith("multipart/"):
            try:
                request.body  # noqa: B018 - read (and size-checked) now, kept for the endpoint
            except RequestDataTooBig:
                return JsonResponse({"errors": [{"field": None, "code": "too_large", "message": _(
                    "Nội dung gửi lên quá lớn (tối đa %(limit)s)."
                ) % {"limit": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}}]}, status=413)
        return self.get_response(request)
