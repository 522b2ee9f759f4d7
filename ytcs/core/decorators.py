"""View decorators shared by every app's pages (the bottom layer, so any app may use them)."""

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django_htmx.http import HttpResponseClientRedirect


def login_required_htmx(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """``login_required`` that sends an htmx request with an expired session to the login page.

    Plain ``login_required`` answers with a redirect that htmx would follow and swap the login form
    into the middle of the page; this answers with ``HX-Redirect`` so the whole page goes there.
    """
    protected = login_required(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if request.htmx and not request.user.is_authenticated:
            back_to = urlsplit(request.headers.get("HX-Current-URL", "")).path or "/"
            login_url = redirect_to_login(back_to)["Location"]
            return HttpResponseClientRedirect(login_url)
        return protected(request, *args, **kwargs)

    return wrapper
