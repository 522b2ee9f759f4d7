"""Residents and households per province, and per commune of one province, for the national home page.

Aggregates only: no personal data, not audited, limited to the actor's *aggregate* scope. A person or
household recorded against a unit abolished in the 2025 reorganisation counts toward the current
unit(s) it became, with its crosswalk weight (``orgunits.selectors.rollup_totals``), so the 34 current
provinces and their communes add up to the national total. Each table is a fixed number of grouped
queries, however many provinces or communes there are.
"""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from ytcs.accounts.models import User
from ytcs.accounts.scope import aggregate_scope, aggregate_units
from ytcs.orgunits.models import OrgUnit, OrgUnitRollup
from ytcs.orgunits.selectors import rollup_totals
from ytcs.people.models import Household, Resident

Level = OrgUnit.Level
_LIVING = Q(date_of_death__isnull=True, merged_into__isnull=True)


@dataclass(frozen=True)
class AreaRow:
    """One current unit's figures; ``communes`` is the number of current communes in a province row."""

    unit: OrgUnit
    residents: int
    households: int
    communes: int = 0

    @property
    def name(self) -> str:
        return self.unit.name


def _ranked(rows: list[AreaRow], *, then: str) -> list[AreaRow]:
    """Most residents first, then by the unit's ``then`` attribute (provinces: their official code order)."""
    return sorted(rows, key=lambda row: (-row.residents, getattr(row.unit, then)))


def _in_scope(actor: User, model: type[Resident] | type[Household]) -> QuerySet:
    facts = model.objects.filter(aggregate_scope(actor).q("commune"))
    return facts.filter(_LIVING) if model is Resident else facts


def province_table(*, actor: User) -> list[AreaRow]:
    """Every current province in the actor's aggregate scope with its living residents and households."""
    provinces = list(aggregate_units(actor).filter(level=Level.PROVINCE))
    residents = rollup_totals(_in_scope(actor, Resident), unit_field="commune", level=Level.PROVINCE)
    households = rollup_totals(_in_scope(actor, Household), unit_field="commune", level=Level.PROVINCE)
    communes = dict(
        OrgUnit.objects.filter(parent__in=[p.pk for p in provinces], level=Level.COMMUNE, valid_to__isnull=True)
        .values("parent_id").annotate(n=Count("pk")).values_list("parent_id", "n").order_by()
    )
    return _ranked([
        AreaRow(p, round(residents.for_unit(p)), round(households.for_unit(p)), communes.get(p.pk, 0))
        for p in provinces
    ], then="code")


def province_commune_table(*, actor: User, province: OrgUnit) -> list[AreaRow]:
    """Every current commune of ``province`` (in the actor's aggregate scope) with its figures.

    Facts are first narrowed to the units that roll up into the province, so the grouped sums read
    only that province's rows.
    """
    communes = list(aggregate_units(actor).filter(parent=province, level=Level.COMMUNE))
    into = OrgUnitRollup.objects.filter(current_unit__parent=province).values("unit_id")
    residents = rollup_totals(
        _in_scope(actor, Resident).filter(commune__in=into), unit_field="commune", level=Level.COMMUNE
    )
    households = rollup_totals(
        _in_scope(actor, Household).filter(commune__in=into), unit_field="commune", level=Level.COMMUNE
    )
    rows = [AreaRow(c, round(residents.for_unit(c)), round(households.for_unit(c))) for c in communes]
    return _ranked(rows, then="name")
