"""The shell's own pages: the home page of each role."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ytcs.accounts.scope import effective_unit
from ytcs.orgunits.models import OrgUnit
from ytcs.people.selectors import commune_table, resident_counts
from ytcs.web.selectors import facility_counts


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Counts for the user's area; above commune level, the largest communes; a search box if allowed."""
    user = request.user
    unit = effective_unit(user)
    above_commune = unit is not None and unit.level < OrgUnit.Level.COMMUNE
    return render(
        request,
        "web/home.html",
        {
            "counts": resident_counts(actor=user),
            "facilities": facility_counts(actor=user),
            "communes": commune_table(actor=user) if above_commune else [],
        },
    )
