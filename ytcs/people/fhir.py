"""A resident as a FHIR R4 ``Patient`` (built as a dict, validated by the caller with the R4B models).

Identifier systems are this project's own URNs until the Vietnamese core profile (HL7 Vietnam, draft)
fixes official ones: ``urn:ytcs:sid:cccd`` (personal identification number), ``urn:ytcs:sid:bhxh``
(social-insurance number, the health identifier of QĐ 2153/QĐ-BYT), ``urn:ytcs:sid:bhyt`` (card code).
Identifier values and phone numbers are written as the viewer's :class:`~ytcs.accounts.masking.Masker`
allows: a viewer who does not capture for the person's commune gets the last four characters only.
"""

from ytcs.accounts.masking import Masker
from ytcs.people.models import Resident

SYSTEMS = {
    "cccd": "urn:ytcs:sid:cccd",
    "social_insurance_number": "urn:ytcs:sid:bhxh",
    "bhyt_card_number": "urn:ytcs:sid:bhyt",
}
ETHNICITY_EXTENSION = "urn:ytcs:ext:ethnicity"
WARD_CODE_EXTENSION = "urn:ytcs:ext:ward-code"


def patient_resource(resident: Resident, *, masker: Masker) -> dict:
    given = [p for p in (resident.middle_name, resident.given_name) if p]
    patient: dict = {
        "resourceType": "Patient",
        "id": str(resident.pk),
        "identifier": [{"system": system, "value": masker(field, getattr(resident, field))}
                       for field, system in SYSTEMS.items() if getattr(resident, field)],
        "active": resident.date_of_death is None,
        "name": [{"use": "official", "text": resident.full_name, "family": resident.family_name, "given": given}],
        "gender": {"M": "male", "F": "female"}.get(resident.sex, "unknown"),
        "birthDate": resident.birth_date.isoformat(),
        "address": [{
            "use": "home",
            "text": ", ".join(p for p in (resident.household.address if resident.household_id else "",
                                          resident.village.name if resident.village_id else "",
                                          resident.commune.name) if p),
            "city": resident.commune.name,
            "country": "VN",
            "extension": [{"url": WARD_CODE_EXTENSION, "valueString": resident.commune.code}],
        }],
    }
    if resident.phone:
        patient["telecom"] = [{"system": "phone", "value": masker("phone", resident.phone), "use": "mobile"}]
    if resident.date_of_death:
        patient["deceasedDateTime"] = resident.date_of_death.isoformat()
    if resident.ethnicity:
        patient["extension"] = [{"url": ETHNICITY_EXTENSION, "valueString": resident.ethnicity}]
    if resident.emergency_contact_name or resident.emergency_contact_phone:
        contact: dict = {"relationship": [{"text": resident.emergency_contact_relationship or "liên hệ"}]}
        if resident.emergency_contact_name:
            contact["name"] = {"text": resident.emergency_contact_name}
        if resident.emergency_contact_phone:
            contact["telecom"] = [{"system": "phone",
                                   "value": masker("emergency_contact_phone", resident.emergency_contact_phone)}]
        patient["contact"] = [contact]
    if not patient["identifier"]:
        del patient["identifier"]
    return patient
