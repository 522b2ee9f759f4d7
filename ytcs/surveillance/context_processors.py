"""The open-alert count for the banner on every page (province-level users only)."""

from django.http import HttpRequest

from ytcs.surveillance.selectors import is_province_level, open_alerts


def alerts(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not is_province_level(user):
        return {}
    return {"surveillance_open_alerts": open_alerts(user).count()}
