"""The shell's own pages: the home page of each role."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ytcs.accounts.scope import aggregate_province, effective_unit
from ytcs.orgunits.models import OrgUnit
from ytcs.people.area_selectors import province_commune_table, province_table
from ytcs.people.selectors import commune_table, resident_counts
from ytcs.web.selectors import facility_counts


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Counts for the user's area; above commune level, the largest communes; a search box if allowed.

    Above province level (national users) the table lists the provinces instead, and
    ``?province=<code>`` lists the communes of one of them.
    """
    user = request.user
    unit = effective_unit(user)
    above_commune = unit is not None and unit.level < OrgUnit.Level.COMMUNE
    national = unit is not None and unit.level < OrgUnit.Level.PROVINCE
    code = request.GET.get("province", "") if national else ""
    province = aggregate_province(user, code) if code else None
    return render(
        request,
        "web/home.html",
        {
            "counts": resident_counts(actor=user),
            "facilities": facility_counts(actor=user),
            "communes": commune_table(actor=user) if above_commune and not national else [],
            "provinces": province_table(actor=user) if national and province is None else [],
            "province": province,
            "home_unit": unit,
            "province_communes": province_commune_table(actor=user, province=province) if province else [],
        },
    )
