"""Audit rows cannot be changed or removed through the ORM, and the database refuses it too."""

import pytest
from django.db import DatabaseError, connection, transaction

from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditAction, AuditEvent, AuditSubject
from ytcs.audit.services import audit_record
from ytcs.audit.vocabulary import ResourceType


@pytest.fixture
def event(db) -> AuditEvent:
    return audit_record(context=AuditContext.system("test"), action=AuditAction.VIEW,
                        resource_type=ResourceType.RESIDENT, resource_id=7, subject_ids=[7])


def test_orm_refuses_updates_and_deletes(event):
    event.action = AuditAction.DELETE
    for attempt in (
        event.save,
        event.delete,
        lambda: AuditEvent.objects.filter(pk=event.pk).update(action="delete"),
        lambda: AuditEvent.objects.all().delete(),
        lambda: AuditEvent.objects.bulk_update([event], ["action"]),
        lambda: AuditSubject.objects.all().delete(),
        lambda: AuditSubject.objects.update(resident_id=8),
    ):
        with pytest.raises(PermissionError), transaction.atomic():
            attempt()
    assert AuditEvent.objects.get(pk=event.pk).action == AuditAction.VIEW


@pytest.mark.parametrize("table", ["audit_auditevent", "audit_auditsubject"])
def test_database_refuses_raw_update(event, table):
    column = "resource_id" if table == "audit_auditevent" else "resident_id"
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = '9'")  # noqa: S608 - fixed table names
    assert AuditSubject.objects.get().resident_id == 7


def test_database_refuses_raw_delete_on_postgresql_and_sqlite_keeps_flushable(event):
    """PostgreSQL refuses DELETE by trigger. SQLite has no DELETE trigger on purpose: Django's test
    flush empties tables with DELETE (docs/security.md); only UPDATE triggers exist there."""
    if connection.vendor == "postgresql":
        for table in ("audit_auditsubject", "audit_auditevent"):
            with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT event_manipulation FROM information_schema.triggers "
                "WHERE event_object_table = 'audit_auditevent' ORDER BY 1"
            )
            assert [row[0] for row in cursor.fetchall()] == ["DELETE", "UPDATE"]  # and no TRUNCATE trigger
        assert AuditEvent.objects.filter(pk=event.pk).exists()
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name LIKE 'audit_%'")
            triggers = cursor.fetchall()
        assert sorted(name for name, _ in triggers) == ["audit_auditevent_no_update", "audit_auditsubject_no_update"]
        assert all("BEFORE UPDATE" in sql for _, sql in triggers)


def test_audit_record_keeps_who_what_where_and_each_subject_once(rf, db):
    request = rf.get("/x/", REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="ytcs-android/1.0", HTTP_X_REQUEST_ID="r-1")
    event = audit_record(
        context=AuditContext.from_request(request), action=AuditAction.UPDATE, resource_type=ResourceType.RESIDENT,
        resource_id=5, subject_ids=[5, 6, 5], changes={"phone": ["0912345678", "0987654321"]},
    )
    assert (event.ip_address, event.client, event.request_id) == ("10.1.2.3", "ytcs-android/1.0", "r-1")
    assert sorted(event.subjects.values_list("resident_id", flat=True)) == [5, 6]
    assert AuditEvent.objects.get(pk=event.pk).changes == {"phone": ["0912345678", "0987654321"]}


def test_client_address_behind_a_trusted_proxy(rf, settings):
    from ytcs.audit.context import client_ip

    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert client_ip(request) == "127.0.0.1"
    settings.YTCS_TRUSTED_PROXIES = 1
    assert client_ip(request) == "203.0.113.9"
    assert client_ip(rf.get("/", REMOTE_ADDR="not-an-ip")) is None


@pytest.mark.django_db(transaction=True)
def test_transactional_tests_can_still_empty_the_trail_between_tests():
    """Live-server (end-to-end) tests flush tables after each test; the triggers must allow that."""
    audit_record(context=AuditContext(), action=AuditAction.LOGIN_FAILED, resource_type=ResourceType.USER,
                 subject_ids=[1])
    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_trail_is_empty_again_after_a_transactional_test():
    assert not AuditEvent.objects.exists() and not AuditSubject.objects.exists()


def test_an_event_about_anything_but_a_vocabulary_member_is_refused(db):
    for legacy in ("resident", "resident_timeline", "people.Resident.fhir"):
        with pytest.raises(ValueError, match="ResourceType"):
            audit_record(context=AuditContext.system("test"), action=AuditAction.VIEW, resource_type=legacy)
    assert not AuditEvent.objects.exists()
