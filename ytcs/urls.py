from django.urls import include, path

from ytcs.api import api

urlpatterns = [
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("people/", include("ytcs.people.urls")),
    path("audit/", include("ytcs.audit.urls")),
    path("", include("ytcs.accounts.urls")),
    path("clinical/", include("ytcs.clinical.urls")),
    path("surveillance/", include("ytcs.surveillance.urls")),
    path("", include("ytcs.web.urls")),
]
