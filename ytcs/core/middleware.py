"""Security headers that Django's SecurityMiddleware does not set itself."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

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
