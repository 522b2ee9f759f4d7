"""Users: real accounts from the command line, the demo accounts, and the audit rows of logging in and out."""

from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ytcs.accounts.models import Role, User
from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditAction
from ytcs.audit.services import audit_record
from ytcs.audit.vocabulary import ResourceType
from ytcs.core.errors import DomainError, FieldError
from ytcs.orgunits.models import OrgUnit, OrgUnitRollup

# The org-unit level each role works at; a system administrator may sit anywhere.
ROLE_LEVELS = {
    Role.VILLAGE_HEALTH_WORKER: OrgUnit.Level.VILLAGE,
    Role.STATION_STAFF: OrgUnit.Level.COMMUNE,
    Role.STATION_HEAD: OrgUnit.Level.COMMUNE,
    Role.PROVINCIAL: OrgUnit.Level.PROVINCE,
    Role.NATIONAL_VIEWER: OrgUnit.Level.COUNTRY,
}

# Documented in README/docs/security.md; passes the password validators (length ≥ 10, not common, not numeric).
DEMO_PASSWORD = "ytcs-demo-2026"  # noqa: S105 - a published demo password, not a secret


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role_label: str
    unit_name: str


def user_create(
    *,
    username: str,
    role: str,
    org_unit: OrgUnit,
    password: str | None,
    may_open_records: bool | None = None,
    context: AuditContext | None = None,
) -> User:
    """Create an active user after checking the role fits the unit's level and the password the validators.

    ``password=None`` creates an account that cannot log in until a password is set. ``context`` defaults
    to the command line (``ytcs users create``).
    """
    expected = ROLE_LEVELS.get(Role(role))
    if expected is not None and org_unit.level != expected:
        raise DomainError.one("org_unit", "role_level", _(
            "Vai trò %(role)s phải gắn với đơn vị cấp %(level)s, không phải %(unit)s."
        ) % {"role": Role(role).label, "level": OrgUnit.Level(expected).label, "unit": org_unit.name})
    user = User(username=username, role=role, org_unit=org_unit, may_open_records=may_open_records)
    try:
        if password is None:
            user.set_unusable_password()
        else:
            validate_password(password, user)
            user.set_password(password)
        user.full_clean()
    except ValidationError as exc:
        raise DomainError(_field_errors(exc)) from exc
    with transaction.atomic():
        user.save()
        audit_record(
            context=context or AuditContext.system("users"),
            action=AuditAction.CREATE,
            resource_type=ResourceType.USER,
            resource_id=user.pk,
            changes={"username": [None, username], "role": [None, role], "org_unit": [None, org_unit.pk]},
        )
    return user


def demo_users_ensure(*, province: OrgUnit) -> list[DemoLogin]:
    """One demo login per role, attached to real units of ``province``; idempotent.

    Existing demo users are reused (their password is left alone). ``demo_merged``
    is a station user attached to a commune abolished in the 2025 merger, to show
    that scope follows the crosswalk; it exists only when such a commune rolls up
    into the province.
    """
    communes = OrgUnit.objects.filter(
        level=OrgUnit.Level.COMMUNE, valid_to__isnull=True, path__startswith=province.path
    ).order_by("code")
    commune = (
        communes.filter(children__level=OrgUnit.Level.VILLAGE, children__valid_to__isnull=True).first()
        or communes.first()
    )
    if commune is None:
        raise ValidationError(_("Tỉnh %(name)s chưa có xã nào."), params={"name": province.name})
    village = (
        commune.children.filter(level=OrgUnit.Level.VILLAGE, valid_to__isnull=True).order_by("code").first()
    )
    country = OrgUnit.objects.get(pk=int(province.path.strip("/").split("/")[0]))
    plan = [
        ("demo_vhw", Role.VILLAGE_HEALTH_WORKER, village),
        ("demo_station", Role.STATION_STAFF, commune),
        ("demo_head", Role.STATION_HEAD, commune),
        ("demo_province", Role.PROVINCIAL, province),
        ("demo_national", Role.NATIONAL_VIEWER, country),
        ("demo_admin", Role.SYSTEM_ADMIN, country),
        ("demo_merged", Role.STATION_STAFF, _merged_commune(province, commune)),
    ]
    logins = []
    with transaction.atomic():
        for username, role, unit in plan:
            if unit is None:
                continue
            user = User.objects.filter(username=username).first()
            if user is None:
                user_create(username=username, role=role, org_unit=unit, password=DEMO_PASSWORD)
            elif (user.role, user.org_unit_id) != (role, unit.pk):
                user.role, user.org_unit = role, unit
                user.save(update_fields=["role", "org_unit"])
            logins.append(DemoLogin(username, DEMO_PASSWORD, str(role.label), unit.name))
    return logins


def _merged_commune(province: OrgUnit, commune: OrgUnit) -> OrgUnit | None:
    """An abolished commune that rolls up into ``commune`` (else anywhere in ``province``)."""
    old = (
        OrgUnitRollup.objects.filter(unit__level=OrgUnit.Level.COMMUNE, unit__valid_to__isnull=False)
        .select_related("unit")
        .order_by("unit__code", "unit__pk")
    )
    in_province = old.filter(current_unit__path__startswith=province.path)
    rollup = old.filter(current_unit=commune).first() or in_province.first()
    return rollup.unit if rollup else None


def _field_errors(exc: ValidationError) -> list[FieldError]:
    """Django's model and password validation as the project's field errors (password errors name ``password``)."""
    if not hasattr(exc, "error_dict"):
        return [FieldError("password", error.code or "invalid", message) for error in exc.error_list
                for message in error.messages]
    return [FieldError(field, error.code or "invalid", message)
            for field, errors in exc.error_dict.items() for error in errors for message in error.messages]


def user_deactivate(*, context: AuditContext, user: User) -> None:
    """Stop ``user`` from logging in; their audit rows keep pointing at them."""
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit_record(context=context, action=AuditAction.UPDATE, resource_type=ResourceType.USER,
                     resource_id=user.pk, changes={"is_active": [True, False]})


def login_record(*, context: AuditContext) -> None:
    """A successful login of ``context.actor``."""
    audit_record(context=context, action=AuditAction.LOGIN, resource_type=ResourceType.USER,
                 resource_id=context.actor.pk)


def login_failure_audit(*, context: AuditContext, outcome: str) -> None:
    """A refused login: ``context.actor`` stands for the name typed (``failed``, ``throttled``, ``incomplete``)."""
    audit_record(context=context, action=AuditAction.LOGIN_FAILED, resource_type=ResourceType.USER, outcome=outcome)


def logout_record(*, context: AuditContext) -> None:
    audit_record(context=context, action=AuditAction.LOGOUT, resource_type=ResourceType.USER,
                 resource_id=context.actor.pk)
