"""What an audit event can be about: one enum of resource types, each a model label.

Every ``audit_record`` names its resource with a member of :class:`ResourceType`; a test fails when an event
is written with anything else, and when a member stops naming a real model. What was done to the resource
(viewed, exported as FHIR, imported…) is the event's ``action`` and its ``changes``, never a new type.
People see the model's verbose name (``ResourceType.label_for``), never the label.
"""

from __future__ import annotations

from enum import StrEnum

from django.apps import apps
from django.db.models import Model


class ResourceType(StrEnum):
    USER = "accounts.User"
    AUDIT_EVENT = "audit.AuditEvent"
    STAFF_MEMBER = "orgunits.StaffMember"
    HEALTH_FACILITY = "orgunits.HealthFacility"
    HOUSEHOLD = "people.Household"
    RESIDENT = "people.Resident"
    HEALTH_PROFILE = "people.HealthProfile"
    RISK_FACTORS = "people.RiskFactors"
    ALLERGY = "people.Allergy"
    DISABILITY = "people.Disability"
    MEDICAL_HISTORY = "people.MedicalHistory"
    SURGERY_HISTORY = "people.SurgeryHistory"
    REPRODUCTIVE_HISTORY = "people.ReproductiveHistory"
    RESIDENCE_HISTORY = "people.ResidenceHistory"
    LIFE_EVENT = "people.LifeEvent"
    DUPLICATE_CANDIDATE = "people.DuplicateCandidate"
    MERGE_LOG = "people.MergeLog"
    ENCOUNTER = "clinical.Encounter"
    CONDITION = "clinical.Condition"
    CASE_REPORT = "surveillance.CaseReport"
    WEEKLY_REPORT = "surveillance.WeeklyReport"
    SIGNAL = "surveillance.Signal"
    ALERT = "surveillance.Alert"

    @classmethod
    def of(cls, model: type[Model] | Model) -> ResourceType:
        """The member for ``model`` (a class or an instance); ``ValueError`` if it is not audited."""
        return cls(model._meta.label)

    @property
    def model(self) -> type[Model]:
        return apps.get_model(self.value)

    @property
    def label(self) -> str:
        """What people read: the model's verbose name in the active language."""
        return str(self.model._meta.verbose_name)

    @classmethod
    def label_for(cls, value: str) -> str:
        """The verbose name of a stored ``resource_type``; events older than the enum show as stored."""
        try:
            return cls(value).label
        except (ValueError, LookupError):
            return value
