"""A test-only URLconf: a UI view and an API endpoint that open a resident through the scoping layer."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import include, path
from ninja import NinjaAPI
from ninja.security import django_auth

from ytcs.accounts.scope import get_resident_for

api = NinjaAPI(auth=django_auth, urls_namespace="scope_test_api", docs_url=None)


@api.get("/people/residents/{pk}")
def resident_detail(request: HttpRequest, pk: int) -> dict:
    resident = get_resident_for(request.auth, pk, request=request)
    return {"id": resident.pk, "full_name": resident.full_name}


def resident_page(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return JsonResponse({}, status=401)
    resident = get_resident_for(request.user, pk, request=request)
    return HttpResponse(f"<h1>{resident.full_name}</h1>")


urlpatterns = [
    path("people/<int:pk>/", resident_page),
    path("api/", api.urls),
    path("", include("ytcs.urls")),
]
