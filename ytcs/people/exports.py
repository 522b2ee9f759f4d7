"""A resident's whole record as data (JSON), as labelled sections (the printable page) and as a PDF.

The paper record a commune station still hands out is the printable page or the PDF; both are built
from :func:`record_display`, so they say the same thing. The PDF embeds DejaVu Sans, vendored under
``people/fonts`` with its licence, so Vietnamese text renders on a machine with no system fonts.
Each builder takes the viewer's :class:`~ytcs.accounts.masking.Masker` and shows identifiers (CCCD, BHXH,
BHYT, phone numbers) only as it allows. The selectors of ``record_selectors`` open the record, audit the
read and hand out the masker; these functions only build the documents.
"""

import datetime
import io
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from ytcs.accounts.masking import Masker
from ytcs.people.completeness import record_completeness
from ytcs.people.models import HealthProfile, ReproductiveHistory, Resident, RiskFactors
from ytcs.people.services import LIST_SECTIONS, ONE_TO_ONE_SECTIONS, RESIDENT_FIELDS, section_fields

FONT_DIR = Path(__file__).resolve().parent / "fonts"
_SKIP_DISPLAY = {"id", "resident", "created_at", "updated_at", "household", "village"}


def _json_value(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _row(instance: models.Model | None, fields: tuple[str, ...]) -> dict | None:
    if instance is None:
        return None
    return {"id": instance.pk, **{name: _json_value(getattr(instance, name)) for name in fields}}


def _one(model: type[models.Model], resident: Resident) -> models.Model | None:
    return model.objects.filter(resident=resident).first()


def section_data(resident: Resident, section: str) -> dict | list[dict] | None:
    """One section of QĐ 831 part II as :func:`record_data` has it (no identifier in any of them)."""
    if section in LIST_SECTIONS:
        model = LIST_SECTIONS[section]
        return [_row(entry, section_fields(model)) for entry in model.objects.filter(resident=resident).order_by("pk")]
    model = ONE_TO_ONE_SECTIONS[section]
    return _row(_one(model, resident), section_fields(model))


def record_data(resident: Resident, *, masker: Masker) -> dict:
    """The full record as JSON-ready data: administrative part, QĐ 831 part II, residence and events."""
    completeness = record_completeness(resident)
    identity = masker.record({name: _json_value(getattr(resident, name)) for name in RESIDENT_FIELDS})
    identity |= {
        "id": resident.pk, "full_name": resident.full_name, "birth_year": resident.birth_year,
        "commune": {"id": resident.commune_id, "code": resident.commune.code, "name": resident.commune.name},
        "village": ({"id": resident.village_id, "code": resident.village.code, "name": resident.village.name}
                    if resident.village_id else None),
        "household": ({"id": resident.household_id, "code": resident.household.code,
                       "address": resident.household.address} if resident.household_id else None),
        "mother_id": resident.mother_id, "date_of_death": _json_value(resident.date_of_death),
        "cause_of_death_icd10": resident.cause_of_death_icd10,
    }
    data = {"resident": identity}
    for name in (*ONE_TO_ONE_SECTIONS, *LIST_SECTIONS):
        data[name] = section_data(resident, name)
    data["residence_history"] = [
        {"commune_id": p.commune_id, "commune": p.commune.name, "village": p.village.name if p.village_id else None,
         "household_id": p.household_id, "valid_from": p.valid_from.isoformat(),
         "valid_to": p.valid_to.isoformat() if p.valid_to else None}
        for p in resident.residence_history.select_related("commune", "village").order_by("valid_from", "pk")
    ]
    data["life_events"] = [
        {"kind": e.kind, "occurred_on": e.occurred_on.isoformat(), "commune_id": e.commune_id,
         "other_commune_id": e.other_commune_id, "cause_icd10": e.cause_icd10, "note": e.note}
        for e in resident.life_events.order_by("occurred_on", "pk")
    ]
    data["completeness"] = {"pct": completeness.pct, "sections_filled": completeness.sections_filled,
                            "sections_required": completeness.sections_required, "missing": completeness.missing}
    data["exported_at"] = timezone.now().isoformat()
    return data


# --- the labelled form, for people ---


@dataclass
class DisplaySection:
    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    table_header: list[str] = field(default_factory=list)
    table: list[list[str]] = field(default_factory=list)
    empty_text: str = ""


def _text(instance: models.Model, name: str) -> str:
    value = getattr(instance, f"get_{name}_display")() if instance._meta.get_field(name).choices else \
        getattr(instance, name)
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, models.Model):
        return str(value)
    return str(value)


def _label(model: type[models.Model], name: str) -> str:
    text = str(model._meta.get_field(name).verbose_name)
    return text[:1].upper() + text[1:]


def _shown(instance: models.Model, name: str) -> bool:
    """Empty values and a plain "no" of a yes/no field (e.g. "quit smoking: no") are left out of print."""
    model_field = instance._meta.get_field(name)
    if isinstance(model_field, models.BooleanField) and not model_field.null and not getattr(instance, name):
        return False
    return bool(_text(instance, name))


def _rows(instance: models.Model, names: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(_label(type(instance), n), _text(instance, n)) for n in names if _shown(instance, n)]


def record_display(resident: Resident, *, masker: Masker) -> list[DisplaySection]:
    """The record in QĐ 831 order with Vietnamese labels, omitting empty fields."""
    names = ("full_name", "sex", "birth_date", "ethnicity", "religion", "occupation", "residence_status",
             "residence_status_from", "residence_status_to", "cccd",
             "social_insurance_number", "bhyt_card_number", "bhyt_valid_from", "bhyt_valid_to",
             "bhyt_primary_care_facility_name", "phone", "emergency_contact_name", "emergency_contact_relationship",
             "emergency_contact_phone", "date_of_death", "cause_of_death_icd10")
    admin = DisplaySection(_("I. Thông tin hành chính"), [
        (_label(Resident, n), masker(n, _text(resident, n))) for n in names if _shown(resident, n)])
    place = [resident.household.address if resident.household_id else "",
             resident.village.name if resident.village_id else "", resident.commune.name]
    admin.rows.append((_("Địa chỉ"), ", ".join(p for p in place if p)))
    if resident.household_id:
        admin.rows.append((_("Mã hộ"), resident.household.code))
        admin.rows.append((_("Quan hệ với chủ hộ"), resident.relationship_label))
    sections = [admin]
    profile = _one(HealthProfile, resident)
    birth = DisplaySection(_("II.1. Tình trạng lúc sinh và nhóm máu"), empty_text=_("Chưa ghi."))
    if profile:
        birth.rows = _rows(profile, ("blood_group", "rh", "birth_delivery", "birth_preterm", "birth_asphyxia",
                                     "birth_weight_g", "birth_length_cm", "birth_defects", "birth_other_problems"))
    sections.append(birth)
    risks = DisplaySection(_("II.2. Yếu tố nguy cơ"), empty_text=_("Chưa ghi."))
    risk = _one(RiskFactors, resident)
    if risk:
        risks.rows = _rows(risk, tuple(n for n in section_fields(RiskFactors)))
    sections.append(risks)
    titles = {"allergies": _("II.3. Dị ứng"), "medical_history": _("II.4. Tiền sử bệnh tật"),
              "disabilities": _("II.5. Khuyết tật"), "surgeries": _("II.6. Tiền sử phẫu thuật")}
    none_flags = {"allergies": "allergies_none", "medical_history": "conditions_none",
                  "disabilities": "disabilities_none", "surgeries": "surgeries_none"}
    for name in ("allergies", "medical_history", "disabilities", "surgeries"):
        model = LIST_SECTIONS[name]
        columns = [n for n in section_fields(model) if n not in _SKIP_DISPLAY]
        asked_none = profile is not None and getattr(profile, none_flags[name])
        section = DisplaySection(titles[name], table_header=[_label(model, n) for n in columns],
                                 empty_text=_("Đã hỏi: không có.") if asked_none else _("Chưa ghi."))
        section.table = [[_text(e, n) for n in columns] for e in model.objects.filter(resident=resident).order_by("pk")]
        sections.append(section)
    if resident.sex == "F":
        reproductive = DisplaySection(_("II.7. Sức khỏe sinh sản và kế hoạch hóa gia đình"), empty_text=_("Chưa ghi."))
        history = _one(ReproductiveHistory, resident)
        if history:
            reproductive.rows = _rows(history, section_fields(ReproductiveHistory))
        sections.append(reproductive)
    residence = DisplaySection(_("Nơi cư trú theo thời gian"), table_header=[_("Xã/phường"), _("Thôn/bản"),
                                                                            _("Từ ngày"), _("Đến ngày")])
    residence.table = [[p.commune.name, p.village.name if p.village_id else "", p.valid_from.strftime("%d/%m/%Y"),
                        p.valid_to.strftime("%d/%m/%Y") if p.valid_to else _("nay")]
                       for p in resident.residence_history.select_related("commune", "village").order_by("valid_from")]
    sections.append(residence)
    return sections


# --- PDF ---


@cache
def _register_fonts() -> tuple[str, str]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    return "DejaVuSans", "DejaVuSans-Bold"


def record_pdf(resident: Resident, *, masker: Masker, station_name: str = "") -> bytes:
    """The printable record as an A4 PDF with embedded Vietnamese-capable fonts."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    regular, bold = _register_fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=12)
    heading = ParagraphStyle("h2", fontName=bold, fontSize=11, leading=14, spaceBefore=8, spaceAfter=3)
    title = ParagraphStyle("title", fontName=bold, fontSize=14, leading=18, alignment=1)
    small = ParagraphStyle("small", fontName=regular, fontSize=8, leading=10, textColor=colors.grey)

    def cell(text: str, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(escape(text), style)

    grid = TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                       ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke)])
    story = [cell(_("HỒ SƠ QUẢN LÝ SỨC KHỎE CÁ NHÂN"), title),
             cell(_("(Mẫu theo Quyết định 831/QĐ-BYT ngày 11/03/2017)"), small)]
    if station_name:
        story.append(cell(station_name, small))
    story.append(Spacer(1, 4 * mm))
    for section in record_display(resident, masker=masker):
        story.append(cell(section.title, heading))
        if section.rows:
            table = Table([[cell(k), cell(v)] for k, v in section.rows], colWidths=[60 * mm, 115 * mm])
            table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                                       ("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story.append(table)
        elif section.table:
            table = Table([[cell(h, heading.clone("th", fontSize=9, spaceBefore=0)) for h in section.table_header],
                           *[[cell(v) for v in row] for row in section.table]], repeatRows=1)
            table.setStyle(grid)
            story.append(table)
        else:
            story.append(cell(section.empty_text))
    completeness = record_completeness(resident)
    story += [Spacer(1, 4 * mm), cell(_("Mức đầy đủ của hồ sơ: %(pct)s%% (%(filled)s/%(required)s phần).") % {
        "pct": completeness.pct, "filled": completeness.sections_filled, "required": completeness.sections_required},
        small), cell(_("In ngày %(date)s") % {"date": timezone.localdate().strftime("%d/%m/%Y")}, small)]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=17 * mm, rightMargin=17 * mm, topMargin=15 * mm,
                            bottomMargin=15 * mm, title=resident.full_name, author="ytcs")
    doc.build(story)
    return buffer.getvalue()
