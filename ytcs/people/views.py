"""Resident search and the resident page (read-only; forms for writes live with the records work)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from ytcs.audit.context import AuditContext
from ytcs.core.decorators import login_required_htmx
from ytcs.people.dedup.selectors import latest_merge_of
from ytcs.people.selectors import SearchResults, parse_query, resident_detail, resident_search


@login_required_htmx
@require_http_methods(["GET", "POST"])
def search(request: HttpRequest) -> HttpResponse:
    """One box for names and identifiers.

    Identifiers travel only in a POST body. A GET ``?q=`` is served for names and birth years (a
    shareable link) and refused for anything carrying an identifier, alone or beside a name, which is
    never echoed back.
    """
    results: SearchResults | None = None
    refused = False
    query = ""
    data = request.POST if request.method == "POST" else request.GET
    village = data.get("village", "")
    if request.method == "POST":
        query = request.POST.get("q", "")
        results = resident_search(context=AuditContext.from_request(request), query=query,
                                  page=data.get("page", 1), village=village)
    elif "q" in request.GET:
        query = request.GET["q"]
        if parse_query(query).carries_identifier:
            refused, query = True, ""
        else:
            results = resident_search(context=AuditContext.from_request(request), query=query,
                                      page=data.get("page", 1), village=village)
    context = {"results": results, "query": query, "refused": refused, "village": village}
    if request.htmx:
        return render(request, "people/_search_results.html", context)
    return render(request, "people/search.html", context)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The resident page; 404 when the resident is absent or outside the user's scope."""
    data = resident_detail(context=AuditContext.from_request(request), pk=pk)
    merge = latest_merge_of(actor=request.user, resident=data.resident)
    return render(request, "people/resident_detail.html", {"d": data, "resident": data.resident, "merge": merge})
