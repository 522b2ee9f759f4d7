"""Reads of the resident register: counts for a user's area, search, and the resident page.

Every function applies the scope from ``ytcs.accounts.scope``. Counts take the actor alone (aggregates
write no audit row); the ones that expose individual people take the :class:`AuditContext` and write the
audit row themselves, so no caller can forget it. Whoever shows a person's identifiers asks
:func:`ytcs.accounts.masking.masker_for`; the resident page carries the answer (``ResidentDetail.masker``).
"""

import datetime
from dataclasses import dataclass
from enum import StrEnum

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ytcs.accounts.masking import Masker, masker_for
from ytcs.accounts.models import User
from ytcs.accounts.scope import aggregate_scope
from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditAction
from ytcs.audit.services import audit_record
from ytcs.audit.vocabulary import ResourceType
from ytcs.core.text import fold
from ytcs.people.access import get_resident_for, scoped_residents
from ytcs.people.models import Household, Resident
from ytcs.people.query import ParsedQuery, QueryKind, parse_query

__all__ = ["ParsedQuery", "QueryKind", "parse_query"]  # re-exported: the search box's vocabulary lives in ``query``

SEARCH_PAGE_SIZE = 25


# --- counts (aggregates are not personal data: they use the aggregate scope and are not audited) ---


@dataclass(frozen=True)
class ResidentCounts:
    residents: int
    households: int


@dataclass(frozen=True)
class CommuneRow:
    commune_id: int
    name: str
    residents: int
    households: int


def resident_counts(*, actor: User) -> ResidentCounts:
    """Living residents and households in the actor's aggregate scope."""
    area = aggregate_scope(actor).q("commune")
    return ResidentCounts(
        residents=Resident.objects.active().filter(area, date_of_death__isnull=True).count(),
        households=Household.objects.filter(area).count(),
    )


def commune_table(*, actor: User, limit: int = 15) -> list[CommuneRow]:
    """The communes of the actor's area with the most living residents, largest first."""
    area = aggregate_scope(actor).q("commune")
    top = list(
        Resident.objects.active().filter(area, date_of_death__isnull=True)
        .values("commune_id", "commune__name")
        .annotate(n=Count("id"))
        .order_by("-n", "commune__name")[:limit]
    )
    ids = [row["commune_id"] for row in top]
    households = dict(
        Household.objects.filter(commune_id__in=ids).values("commune_id").annotate(n=Count("id")).values_list(
            "commune_id", "n"
        )
    )
    return [
        CommuneRow(row["commune_id"], row["commune__name"], row["n"], households.get(row["commune_id"], 0))
        for row in top
    ]


# --- search ---


def _identifier_condition(query: ParsedQuery) -> Q:
    """Exact matches on the indexed identifier columns."""
    if query.kind == QueryKind.CCCD:
        return Q(cccd=query.value)
    if query.kind == QueryKind.BHXH_OR_PHONE:
        return Q(social_insurance_number=query.value) | Q(phone=query.value)
    if query.kind == QueryKind.PHONE:
        return Q(phone=query.value)
    # BHYT: cards since 2021 print only the 10-digit BHXH number, which is the tail of the 15-character code.
    return Q(bhyt_card_number=query.value) | Q(social_insurance_number=query.value[-10:])


class _RankedResidents:
    """Residents in the engine's rank order, fetched a page at a time (what ``Paginator`` needs)."""

    def __init__(self, ids: list[int]) -> None:
        self.ids = ids

    def count(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, window: slice) -> list[Resident]:
        ids = self.ids[window]
        rows = Resident.objects.filter(pk__in=ids).select_related("commune", "village").in_bulk()
        return [rows[pk] for pk in ids if pk in rows]


@dataclass(frozen=True)
class SearchResults:
    """A page of residents and what the search did to find them (``people.search.RankedIds``), so the page
    can say it: which words matched nobody, which were found only as near spellings, whether each result
    lacks one word."""

    query: ParsedQuery
    page: Page | None
    capped: bool = False  # more residents matched than were ranked: ``total`` is a lower bound
    village: str = ""
    searched: tuple[str, ...] = ()
    unmatched: tuple[str, ...] = ()
    partial: bool = False
    approximated: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return self.page.paginator.count if self.page else 0

    @property
    def searched_text(self) -> str:
        return " ".join(self.searched)


def villages_matching(*, actor: User, text: str) -> list[int]:
    """Current villages in the actor's search scope whose folded name contains ``text`` ("giang" → "Bản Giang")."""
    from ytcs.accounts.scope import search_scope
    from ytcs.orgunits.models import OrgUnit

    folded = fold(text)
    scope = search_scope(actor)
    if not folded or not scope:
        return []
    inside = Q()
    for path in scope.paths:
        inside |= Q(path__startswith=path)
    return list(
        OrgUnit.objects.filter(inside, level=OrgUnit.Level.VILLAGE, valid_to__isnull=True,
                               name_folded__contains=folded).values_list("pk", flat=True)[:200]
    )


def resident_search(*, context: AuditContext, query: str, page: int | str = 1, village: str = "") -> SearchResults:
    """Residents in the actor's search scope matching ``query``, ranked and paginated; audited.

    Names are matched by ``people.search``: without diacritics, in any word order, tolerant of one typo
    per word ("Nguyen Van Ann" finds "Nguyễn Văn An"), rarer words weighing more; what the engine had to
    do (a word that matched nobody, near spellings) comes back for the page to say. A birth year (1900 to
    this year) or a day/month/year date in the query narrows by birth; alone, it lists everyone in scope
    born then, by name. ``village`` narrows to villages whose name contains it. Identifiers match exactly.
    Merged (inactive) registrations are never returned. The audit row names every resident shown and only
    the query's kind, never the identifier.
    """
    from ytcs.people.search import RankedIds, rank_by_name

    actor = context.actor
    parsed = parse_query(query)
    if parsed.kind in (QueryKind.EMPTY, QueryKind.UNKNOWN_NUMBER):
        return SearchResults(parsed, None)
    base = scoped_residents(actor).active()
    if village.strip():
        base = base.filter(village_id__in=villages_matching(actor=actor, text=village))
    if parsed.birth_date:
        base = base.filter(birth_date=parsed.birth_date)
    elif parsed.birth_year:
        base = base.filter(birth_year=parsed.birth_year)
    ranked = RankedIds([], False)
    if parsed.kind == QueryKind.NAME:
        ranked = rank_by_name(base, parsed.tokens)
        residents = _RankedResidents(ranked.ids)
    elif parsed.kind == QueryKind.BIRTH:
        residents = base.select_related("commune", "village").order_by("name_folded", "pk")
    else:
        residents = base.filter(_identifier_condition(parsed)).select_related("commune", "village")
        residents = residents.order_by("name_folded", "pk")
    result_page = Paginator(residents, SEARCH_PAGE_SIZE).get_page(page)
    changes = {"query_kind": str(parsed.kind), "page": result_page.number, "results": result_page.paginator.count}
    if village.strip():
        changes["village"] = village.strip()[:60]
    audit_record(
        context=context,
        action=AuditAction.SEARCH,
        resource_type=ResourceType.RESIDENT,
        subject_ids=[r.pk for r in result_page.object_list],
        changes=changes,
    )
    return SearchResults(parsed, result_page, ranked.capped, village.strip(), ranked.searched, ranked.unmatched,
                         ranked.partial, ranked.approximated)


# --- the resident page ---


class BhytStatus(StrEnum):
    NONE = "none"
    VALID = "valid"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    UNKNOWN = "unknown"


def bhyt_status(resident: Resident, *, on: datetime.date) -> BhytStatus:
    """The card's state on ``on``; ``bhyt_valid_to`` is the last day the card is valid (inclusive)."""
    if not (resident.bhyt_card_number or resident.social_insurance_number):
        return BhytStatus.NONE
    if resident.bhyt_valid_to is None and resident.bhyt_valid_from is None:
        return BhytStatus.UNKNOWN
    if resident.bhyt_valid_from and on < resident.bhyt_valid_from:
        return BhytStatus.NOT_YET_VALID
    if resident.bhyt_valid_to and on > resident.bhyt_valid_to:
        return BhytStatus.EXPIRED
    return BhytStatus.VALID


@dataclass(frozen=True)
class ResidentDetail:
    resident: Resident
    household_members: list[Resident]
    bhyt: BhytStatus
    masker: Masker  # how the viewer sees this person's identifiers
    age: int


def _age(birth: datetime.date, on: datetime.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def resident_detail(*, context: AuditContext, pk: int | str) -> ResidentDetail:
    """The resident page's data; 404 outside the actor's search scope (a refusal audited); audited as a view.

    Full identifiers (CCCD, BHXH, phone) are shown only to users who capture data for the
    resident's commune; others who may open the record (an administrator, a provincial user
    with the override) see them masked (``masker``).
    """
    actor = context.actor
    resident = get_resident_for(context, pk)
    members: QuerySet = Resident.objects.none()
    if resident.household_id:
        members = (
            scoped_residents(actor)
            .active()
            .filter(household_id=resident.household_id)
            .exclude(pk=resident.pk)
            .select_related("village")
            .order_by("birth_date", "pk")
        )
    members = list(members)
    audit_record(
        context=context,
        action=AuditAction.VIEW,
        resource_type=ResourceType.RESIDENT,
        resource_id=resident.pk,
        subject_ids=[resident.pk, *(m.pk for m in members)],
    )
    today = timezone.localdate()
    end = resident.date_of_death or today
    return ResidentDetail(
        resident=resident,
        household_members=members,
        bhyt=bhyt_status(resident, on=today),
        masker=masker_for(actor, resident),
        age=_age(resident.birth_date, end),
    )
