"""The JSON API (django-ninja); its OpenAPI document is served at /api/docs."""

from ninja import NinjaAPI
from ninja.security import django_auth

from ytcs.clinical.api import router as clinical_router
from ytcs.core.api import install_error_handlers
from ytcs.indicators.api import router as indicators_router
from ytcs.orgunits.api import router as orgunits_router
from ytcs.people.api import router as people_router
from ytcs.surveillance.api import router as surveillance_router

api = NinjaAPI(
    title="ytcs API",
    version="1",
    description="Y tế cơ sở: resident register, records and surveillance for commune health stations.",
    auth=django_auth,
    docs_url="/docs",
    urls_namespace="api",
)
install_error_handlers(api)
api.add_router("/orgunits/", orgunits_router)
api.add_router("/people/", people_router)
api.add_router("/clinical/", clinical_router)
api.add_router("/surveillance/", surveillance_router)
api.add_router("/indicators/", indicators_router)
