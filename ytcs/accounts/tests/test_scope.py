"""The scoping rules per role, for reads (search), writes (capture) and aggregates."""

import pytest
from django.http import Http404

from ytcs.accounts.models import Role, User
from ytcs.accounts.scope import (
    OutOfScope,
    Scope,
    UnitChange,
    aggregate_scope,
    aggregate_units,
    capture_commune,
    capture_communes,
    capture_scope,
    effective_unit,
    effective_units,
    get_in_scope,
    require_aggregate,
    require_capture,
    scoped_aggregate,
    search_scope,
    unit_change,
)
from ytcs.accounts.tests.factories import UserFactory
from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditAction, AuditEvent
from ytcs.core.errors import NotAllowed
from ytcs.orgunits.models import OrgUnit, OrgUnitRollup
from ytcs.orgunits.tests.factories import MERGER_DAY, abolished_unit
from ytcs.people.access import get_resident_for, scoped_residents
from ytcs.people.models import Household, Resident
from ytcs.people.tests.factories import HouseholdFactory, ResidentFactory


def seen(user: User, residents: dict) -> set[str]:
    ids = set(scoped_residents(user).values_list("pk", flat=True))
    return {name for name, resident in residents.items() if resident.pk in ids}


def test_village_health_worker_sees_only_residents_of_own_village(world, residents):
    vhw = UserFactory(role=Role.VILLAGE_HEALTH_WORKER, org_unit=world.village_a1)
    assert seen(vhw, residents) == {"a1"}


def test_station_staff_and_head_see_whole_commune_and_nothing_outside(world, residents):
    for role in (Role.STATION_STAFF, Role.STATION_HEAD):
        user = UserFactory(role=role, org_unit=world.commune_a)
        assert seen(user, residents) == {"a1", "a2", "a"}


def test_provincial_user_sees_province_aggregates_but_opens_no_record_by_default(world, residents):
    user = UserFactory(role=Role.PROVINCIAL, org_unit=world.province_p)
    assert seen(user, residents) == set()
    assert not search_scope(user)
    assert aggregate_scope(user).paths == (world.province_p.path,)
    counted = scoped_aggregate(user, Resident.objects.all()).count()
    assert counted == 4  # a1, a2, a, b: the whole province, none of province Q


def test_provincial_user_with_record_right_opens_records_across_the_province(world, residents):
    user = UserFactory(role=Role.PROVINCIAL, org_unit=world.province_p, may_open_records=True)
    assert seen(user, residents) == {"a1", "a2", "a", "b"}
    assert not capture_scope(user)


def test_national_viewer_aggregates_the_country_but_opens_no_record(world, residents):
    user = UserFactory(role=Role.NATIONAL_VIEWER, org_unit=world.country)
    assert seen(user, residents) == set()
    assert scoped_aggregate(user, Resident.objects.all()).count() == 5


def test_system_admin_opens_every_record_and_captures_none(world, residents):
    user = UserFactory(role=Role.SYSTEM_ADMIN, org_unit=world.country)
    assert seen(user, residents) == set(residents)
    assert not capture_scope(user)


def test_record_right_can_be_withdrawn_from_station_staff(world, residents):
    user = UserFactory(role=Role.STATION_STAFF, org_unit=world.commune_a, may_open_records=False)
    assert seen(user, residents) == set()


def test_inactive_unattached_and_anonymous_users_see_nothing(world, residents):
    from django.contrib.auth.models import AnonymousUser

    inactive = UserFactory(role=Role.STATION_STAFF, org_unit=world.commune_a, is_active=False)
    unattached = UserFactory(role=Role.SYSTEM_ADMIN, org_unit=None)
    for user in (inactive, unattached, AnonymousUser()):
        assert seen(user, residents) == set()
        assert not aggregate_scope(user)


def test_user_of_a_merged_commune_works_on_the_commune_it_became(world, residents):
    user = UserFactory(role=Role.STATION_STAFF, org_unit=world.old_commune)
    assert seen(user, residents) == {"a1", "a2", "a"}
    assert get_resident_for(AuditContext(user), residents["a1"].pk) == residents["a1"]
    with pytest.raises(Http404):
        get_resident_for(AuditContext(user), residents["b"].pk)
    require_capture(user, world.commune_a)
    with pytest.raises(OutOfScope):
        require_capture(user, world.old_commune)


def test_get_in_scope_opens_a_row_of_any_queryset_within_any_scope(world, residents):
    vhw = UserFactory(role=Role.VILLAGE_HEALTH_WORKER, org_unit=world.village_a1)
    context = AuditContext(actor=vhw)
    households = Household.objects.all()
    household = HouseholdFactory(village=world.village_a1)
    assert get_in_scope(households, household.pk, scope=capture_scope(vhw), context=context) == household
    assert get_in_scope(Resident.objects.all(), residents["a1"].pk, scope=capture_scope(vhw), context=context)
    for pk in (residents["a2"].pk, 10**9, 10**30, -1, 0, "abc", None):  # 10**30: past a bigint
        with pytest.raises(OutOfScope):
            get_in_scope(Resident.objects.all(), pk, scope=capture_scope(vhw), context=context)
    refused = AuditEvent.objects.get(action=AuditAction.DENIED)
    assert (refused.resource_type, refused.resource_id, refused.outcome) == (
        "people.Resident", str(residents["a2"].pk), "denied")
    assert list(refused.subjects.values_list("resident_id", flat=True)) == [residents["a2"].pk]


def test_get_in_scope_refuses_a_model_the_audit_does_not_name(world):
    with pytest.raises(ValueError):
        get_in_scope(OrgUnit.objects.all(), world.commune_a.pk, scope=Scope(), context=AuditContext())


def test_scope_filter_follows_a_relation_and_uses_its_village_for_village_scopes(world):
    head_a1 = ResidentFactory(village=world.village_a1)
    head_a2 = ResidentFactory(village=world.village_a2)
    h1 = HouseholdFactory(village=world.village_a1, head=head_a1)
    HouseholdFactory(village=world.village_a2, head=head_a2)
    vhw = UserFactory(role=Role.VILLAGE_HEALTH_WORKER, org_unit=world.village_a1)
    province = UserFactory(role=Role.PROVINCIAL, org_unit=world.province_p)
    assert list(Household.objects.filter(aggregate_scope(vhw).q("head__commune"))) == [h1]
    assert Household.objects.filter(aggregate_scope(province).q("head__commune")).count() == 2
    assert not Household.objects.filter(aggregate_scope(vhw).q("head__commune", village_field="")).exists()


def test_empty_scope_matches_nothing_without_querying(django_assert_num_queries, world, residents):
    with django_assert_num_queries(0):
        assert list(Resident.objects.filter(Scope().q("commune"))) == []


def test_village_health_worker_captures_only_into_own_village(world):
    vhw = UserFactory(role=Role.VILLAGE_HEALTH_WORKER, org_unit=world.village_a1)
    require_capture(vhw, world.commune_a, village=world.village_a1)
    require_capture(vhw, world.village_a1)
    for commune, village in ((world.commune_a, None), (world.commune_a, world.village_a2), (world.commune_c, None)):
        with pytest.raises(OutOfScope):
            require_capture(vhw, commune, village=village)


def test_station_staff_captures_only_into_own_commune_and_current_units(world):
    staff = UserFactory(role=Role.STATION_STAFF, org_unit=world.commune_a)
    require_capture(staff, world.commune_a)
    require_capture(staff, world.commune_a, village=world.village_a2)
    refused = [
        (world.commune_b, None),
        (world.old_commune, None),
        (world.commune_a, world.village_c1),  # a village that is not in the commune
    ]
    for commune, village in refused:
        with pytest.raises(OutOfScope):
            require_capture(staff, commune, village=village)


def test_viewer_roles_capture_nothing(world):
    """They see the commune's figures, so a write there is an action their role may not take (403), not a
    place that does not exist for them (404)."""
    for role, unit in ((Role.PROVINCIAL, world.province_p), (Role.NATIONAL_VIEWER, world.country),
                       (Role.SYSTEM_ADMIN, world.country)):
        user = UserFactory(role=role, org_unit=unit)
        with pytest.raises(NotAllowed):
            require_capture(user, world.commune_a)
        with pytest.raises(OutOfScope):  # another province: 404 whatever the role
            require_capture(UserFactory(role=role, org_unit=world.province_q), world.commune_a)


def test_aggregate_checks_and_units_stay_inside_the_home_subtree(world):
    user = UserFactory(role=Role.PROVINCIAL, org_unit=world.province_p)
    require_aggregate(user, world.commune_b)
    with pytest.raises(OutOfScope):
        require_aggregate(user, world.commune_c)
    units = set(aggregate_units(user))
    assert units == {world.province_p, world.commune_a, world.village_a1, world.village_a2, world.commune_b}


def test_scope_is_computed_once_per_user_object(django_assert_num_queries, world):
    UserFactory(username="cached", role=Role.STATION_STAFF, org_unit=world.old_commune)
    user = User.objects.get(username="cached")
    with django_assert_num_queries(2):  # the user's unit, then its crosswalk rows
        search_scope(user)
        capture_scope(user)
        aggregate_scope(user)
        scoped_residents(user).query  # noqa: B018 - building the query must not hit the database
    user.org_unit = world.commune_b
    assert search_scope(user).paths == (world.commune_b.path,)


def test_station_list_filters_on_the_commune_key_without_joining_org_units(world):
    staff = UserFactory(role=Role.STATION_STAFF, org_unit=world.commune_a)
    sql = str(scoped_residents(staff).query)
    assert "orgunits_orgunit" not in sql


# --- users of abolished units: one answer, effective_units(), for every page, menu, API and service ---


def test_user_of_a_merged_commune_is_resolved_to_the_successor_and_sees_exactly_its_residents(world, residents):
    user = UserFactory(role=Role.STATION_STAFF, org_unit=world.old_commune)
    successor = UserFactory(role=Role.STATION_STAFF, org_unit=world.commune_a)
    assert effective_units(user) == (world.commune_a,)
    assert effective_unit(user) == world.commune_a
    assert capture_commune(user) == world.commune_a
    assert set(scoped_residents(user)) == set(scoped_residents(successor))
    assert seen(user, residents) == {"a1", "a2", "a"}
    assert unit_change(user) == UnitChange(old=world.old_commune, successors=(world.commune_a,), since=MERGER_DAY)
    assert unit_change(successor) is None


def test_user_of_a_split_commune_works_on_every_successor_main_one_first(world, residents):
    split = abolished_unit({world.commune_b: 0.3, world.commune_a: 0.7}, name="Xã S (cũ)", parent=world.old_district)
    user = UserFactory(role=Role.STATION_STAFF, org_unit=split)
    assert effective_units(user) == (world.commune_a, world.commune_b)  # the larger share first
    assert seen(user, residents) == {"a1", "a2", "a", "b"}
    assert effective_unit(user) == world.commune_a
    assert effective_unit(user, str(world.commune_b.pk)) == world.commune_b
    assert capture_commune(user, world.commune_b.pk) == world.commune_b
    for not_theirs in (world.commune_c.pk, split.pk, "abc"):
        with pytest.raises(OutOfScope):
            effective_unit(user, not_theirs)
    assert unit_change(user).successors == (world.commune_a, world.commune_b)


def test_village_health_workers_and_viewers_register_in_no_commune(world):
    vhw = UserFactory(role=Role.VILLAGE_HEALTH_WORKER, org_unit=world.village_a1)
    provincial = UserFactory(role=Role.PROVINCIAL, org_unit=world.province_p)
    for user in (vhw, provincial):
        assert capture_communes(user) == ()
        with pytest.raises(OutOfScope):
            capture_commune(user)
    assert effective_unit(vhw) == world.village_a1
    assert effective_unit(provincial) == world.province_p


def test_unattached_inactive_and_unresolvable_users_have_no_effective_unit(world):
    orphan = abolished_unit({world.commune_b: 1.0}, name="Xã Z (cũ)", parent=world.old_district)
    OrgUnitRollup.objects.filter(unit=orphan).delete()  # a crosswalk that lost its rows
    for user in (UserFactory(org_unit=None), UserFactory(org_unit=world.commune_a, is_active=False),
                 UserFactory(org_unit=orphan)):
        assert effective_units(user) == ()
        assert effective_unit(user) is None
        assert not aggregate_scope(user)
