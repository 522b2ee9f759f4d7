"""How complete a resident's record is: which required sections of the QĐ 831 record are filled.

The EHR-coverage indicator counts residents whose record is complete enough, so the result is also
stored on ``Resident.completeness_pct`` (indexed with the commune) by every service that changes a
record; an indicator can then GROUP BY it without recomputing anything.

Required sections (a section is required only where it applies to the person):

=================  ==========================================================  =====================
section            filled when                                                 required for
=================  ==========================================================  =====================
identity           names, sex, birth date, ethnicity; CCCD from age 14         everyone
contact            own phone or an emergency contact's phone                   everyone
household          household, village and relationship to the head            everyone
insurance          BHYT card code and its expiry date                          everyone
birth_condition    birth weight or delivery type recorded                      children under 6
risk_factors       the risk-factor section saved                              age 15 and over
allergies          at least one allergy, or "asked: none"                      everyone
medical_history    at least one personal condition, or "asked: none"          everyone
family_history     at least one family condition, or "asked: none"            everyone
disabilities       at least one disability, or "asked: none"                  everyone
surgeries          at least one operation, or "asked: none"                   everyone
reproductive       the reproductive-health section saved                      women aged 15–49
=================  ==========================================================  =====================

Age is taken at today's date, or at the date of death for a deceased person. The CCCD threshold of
14 follows Luật Căn cước 2023 (a card is compulsory from 14); the other ages follow the QĐ 831 form's
child/adult/reproductive parts and are settings of this module, not of the law.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

CCCD_FROM_AGE = 14
BIRTH_CONDITION_UNDER_AGE = 6
RISK_FACTORS_FROM_AGE = 15
REPRODUCTIVE_AGES = (15, 49)

SECTIONS = (
    "identity", "contact", "household", "insurance", "birth_condition", "risk_factors", "allergies",
    "medical_history", "family_history", "disabilities", "surgeries", "reproductive",
)
# What the record page calls each section (the codes stay in the API and the JSON export).
SECTION_LABELS = {
    "identity": _("thông tin hành chính"),
    "contact": _("số điện thoại liên hệ"),
    "household": _("hộ gia đình"),
    "insurance": _("thẻ BHYT"),
    "birth_condition": _("tình trạng lúc sinh"),
    "risk_factors": _("yếu tố nguy cơ"),
    "allergies": _("dị ứng"),
    "medical_history": _("tiền sử bệnh của bản thân"),
    "family_history": _("tiền sử bệnh của gia đình"),
    "disabilities": _("khuyết tật"),
    "surgeries": _("tiền sử phẫu thuật"),
    "reproductive": _("sức khỏe sinh sản"),
}


@dataclass(frozen=True)
class Completeness:
    sections_filled: int
    sections_required: int
    missing: list[str] = field(default_factory=list)

    @property
    def missing_labels(self) -> list[str]:
        """The missing sections as the record page names them, in the reader's language."""
        return [str(SECTION_LABELS[section]) for section in self.missing]

    @property
    def pct(self) -> int:
        if not self.sections_required:
            return 100
        return round(100 * self.sections_filled / self.sections_required)


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def required_sections(resident, *, today: datetime.date | None = None) -> list[str]:  # noqa: ANN001
    """The sections that apply to ``resident`` given age and sex."""
    day = resident.date_of_death or today or timezone.localdate()
    age = age_on(resident.birth_date, day)
    required = ["identity", "contact", "household", "insurance"]
    if age < BIRTH_CONDITION_UNDER_AGE:
        required.append("birth_condition")
    if age >= RISK_FACTORS_FROM_AGE:
        required.append("risk_factors")
    required += ["allergies", "medical_history", "family_history", "disabilities", "surgeries"]
    if resident.sex == "F" and REPRODUCTIVE_AGES[0] <= age <= REPRODUCTIVE_AGES[1]:
        required.append("reproductive")
    return required


def _core_sections(resident, age: int) -> set[str]:  # noqa: ANN001
    filled = set()
    if (resident.family_name and resident.given_name and resident.sex and resident.birth_date
            and resident.ethnicity and (resident.cccd or age < CCCD_FROM_AGE)):
        filled.add("identity")
    if resident.phone or resident.emergency_contact_phone:
        filled.add("contact")
    if resident.household_id and resident.village_id and resident.relationship_to_head:
        filled.add("household")
    if resident.bhyt_card_number and resident.bhyt_valid_to:
        filled.add("insurance")
    return filled


def _record_sections(resident) -> set[str]:  # noqa: ANN001
    """Sections held in the QĐ 831 tables (one small query each; only for saved residents)."""
    from ytcs.people.models import HealthProfile, MedicalHistory, ReproductiveHistory, RiskFactors

    filled = set()
    profile = HealthProfile.objects.filter(resident=resident).first()
    if profile and (profile.birth_weight_g or profile.birth_delivery):
        filled.add("birth_condition")
    if RiskFactors.objects.filter(resident=resident).exists():
        filled.add("risk_factors")
    if ReproductiveHistory.objects.filter(resident=resident).exists():
        filled.add("reproductive")
    whose = set(MedicalHistory.objects.filter(resident=resident).values_list("whose", flat=True))
    checks = {
        "allergies": (resident.allergies.exists(), "allergies_none"),
        "medical_history": ("personal" in whose, "conditions_none"),
        "family_history": ("family" in whose, "family_history_none"),
        "disabilities": (resident.disabilities.exists(), "disabilities_none"),
        "surgeries": (resident.surgeries.exists(), "surgeries_none"),
    }
    for section, (has_rows, none_flag) in checks.items():
        if has_rows or (profile is not None and getattr(profile, none_flag)):
            filled.add(section)
    return filled


def record_completeness(resident, *, today: datetime.date | None = None,  # noqa: ANN001
                        record_sections: set[str] | None = None) -> Completeness:
    """Which required sections of ``resident``'s record are filled.

    ``record_sections`` lets a bulk caller (the import) say which QĐ 831 sections exist without a
    query per person; by default they are read from the database.
    """
    day = resident.date_of_death or today or timezone.localdate()
    required = required_sections(resident, today=today)
    if record_sections is None:
        record_sections = _record_sections(resident) if resident.pk else set()
    filled = _core_sections(resident, age_on(resident.birth_date, day)) | record_sections
    missing = [s for s in required if s not in filled]
    return Completeness(len(required) - len(missing), len(required), missing)


def bulk_record_sections(resident_ids: list[int]) -> dict[int, set[str]]:
    """The filled QĐ 831 sections of many residents at once (a handful of queries per 900 ids)."""
    from ytcs.people.models import (
        Allergy,
        Disability,
        HealthProfile,
        MedicalHistory,
        ReproductiveHistory,
        RiskFactors,
        SurgeryHistory,
    )

    result: dict[int, set[str]] = {pk: set() for pk in resident_ids}
    flags = {"allergies_none": "allergies", "conditions_none": "medical_history",
             "family_history_none": "family_history", "disabilities_none": "disabilities",
             "surgeries_none": "surgeries"}
    for start in range(0, len(resident_ids), 900):
        chunk = resident_ids[start:start + 900]
        for row in HealthProfile.objects.filter(resident_id__in=chunk).values(
                "resident_id", "birth_weight_g", "birth_delivery", *flags):
            filled = result[row["resident_id"]]
            if row["birth_weight_g"] or row["birth_delivery"]:
                filled.add("birth_condition")
            filled.update(section for flag, section in flags.items() if row[flag])
        for model, section in ((RiskFactors, "risk_factors"), (ReproductiveHistory, "reproductive"),
                               (Allergy, "allergies"), (Disability, "disabilities"), (SurgeryHistory, "surgeries")):
            for pk in model.objects.filter(resident_id__in=chunk).values_list("resident_id", flat=True).distinct():
                result[pk].add(section)
        for pk, whose in MedicalHistory.objects.filter(resident_id__in=chunk).values_list(
                "resident_id", "whose").distinct():
            result[pk].add("medical_history" if whose == "personal" else "family_history")
    return result
