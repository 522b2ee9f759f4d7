"""Security headers that Django's SecurityMiddleware does not set itself."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)


class SecurityHeadersMiddleware:
    """Adds CSP and a restrictive Permissions-Policy; marks personal-data responses ``no-store``.

    A view (or the scoping layer) flags a response as carrying personal data by
    setting ``response.personal_data = True``; authenticated HTML and API
    responses are treated the same way because nearly all of them show people.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", _CSP)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)")
        if getattr(response, "personal_data", False) or (
            getattr(request, "user", None) is not None
            and request.user.is_authenticated
            and not request.path.startswith("/static/")
        ):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response
