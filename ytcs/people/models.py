"""The resident register: households and the people who live in them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "M", _("Nam")
    FEMALE = "F", _("Nữ")


class ResidenceStatus(models.TextChoices):
    """Where the register counts a person (Luật Cư trú 2020): registered here permanently, temporarily, or
    registered here permanently but temporarily away. Indicators choose their denominator by it."""

    PERMANENT = "permanent", _("Thường trú")
    TEMPORARY = "temporary", _("Tạm trú")
    ABSENT = "absent", _("Tạm vắng")


class Household(models.Model):
    code = models.CharField(_("mã hộ"), max_length=32, unique=True)
    village = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, related_name="households", verbose_name=_("thôn/bản")
    )
    commune = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("xã/phường")
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    head = models.ForeignKey(
        "Resident", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("chủ hộ")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hộ gia đình")
        verbose_name_plural = _("hộ gia đình")

    def __str__(self) -> str:
        return self.code


class ResidentQuerySet(models.QuerySet):
    def active(self) -> "ResidentQuerySet":
        """Registrations still in use: not merged into another (a merged one stays for undo and the audit)."""
        return self.filter(merged_into__isnull=True)


class Resident(models.Model):
    """A person on a commune's register.

    ``commune`` is the current commune of residence and the anchor of every
    access-scope check; ``village`` refines it.
    """

    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="members",
        verbose_name=_("hộ gia đình"),
    )
    relationship_to_head = models.CharField(_("quan hệ với chủ hộ"), max_length=32, blank=True)
    commune = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, related_name="residents", verbose_name=_("xã/phường")
    )
    village = models.ForeignKey(
        "orgunits.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="village_residents",
        verbose_name=_("thôn/bản"),
    )
    family_name = models.CharField(_("họ"), max_length=60)
    middle_name = models.CharField(_("tên đệm"), max_length=60, blank=True)
    given_name = models.CharField(_("tên"), max_length=60)
    full_name = models.CharField(_("họ và tên"), max_length=200)
    name_folded = models.CharField(max_length=200, db_index=True, editable=False)
    sex = models.CharField(_("giới tính"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("ngày sinh"))
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), db_index=True, editable=False)
    ethnicity = models.CharField(_("dân tộc"), max_length=40, blank=True)
    occupation = models.CharField(_("nghề nghiệp"), max_length=100, blank=True)
    # Identifiers: uniqueness and indexes are declared in Meta (exact-match only, see there).
    cccd = models.CharField(_("số CCCD"), max_length=12, null=True, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=15, blank=True)
    bhyt_card_number = models.CharField(_("mã thẻ BHYT"), max_length=15, blank=True)
    social_insurance_number = models.CharField(_("mã số BHXH"), max_length=10, null=True, blank=True)
    bhyt_valid_from = models.DateField(_("BHYT có giá trị từ"), null=True, blank=True)
    bhyt_valid_to = models.DateField(_("BHYT có giá trị đến"), null=True, blank=True)
    date_of_death = models.DateField(_("ngày mất"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from",
        verbose_name=_("đã gộp vào"), help_text="Set when this registration was merged into another (people.dedup)",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Added for the QĐ 831 record (records branch).
    religion = models.CharField(_("tôn giáo"), max_length=60, blank=True, default="")
    mother = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children", verbose_name=_("mẹ"),
    )
    emergency_contact_name = models.CharField(_("người liên hệ khi cần"), max_length=120, blank=True, default="")
    emergency_contact_relationship = models.CharField(_("quan hệ của người liên hệ"),
        max_length=40, blank=True, default="")
    emergency_contact_phone = models.CharField(_("điện thoại người liên hệ"), max_length=15, blank=True, default="")
    bhyt_group_code = models.CharField(_("mã đối tượng BHYT"), max_length=2, blank=True, default="")
    bhyt_benefit_level = models.PositiveSmallIntegerField(_("mức hưởng BHYT"), null=True, blank=True)
    bhyt_primary_care_facility_code = models.CharField(_("mã nơi đăng ký KCB ban đầu"),
        max_length=5, blank=True, default="")
    bhyt_primary_care_facility_name = models.CharField(_("nơi đăng ký KCB ban đầu"),
        max_length=200, blank=True, default="")
    cause_of_death_icd10 = models.CharField(_("nguyên nhân tử vong (ICD-10)"), max_length=8, blank=True, default="")
    completeness_pct = models.PositiveSmallIntegerField(
        _("mức đầy đủ của hồ sơ (%)"), default=0, editable=False,
        help_text="Share of the required record sections that are filled; see people.completeness",
    )
    residence_status = models.CharField(_("tình trạng cư trú"), max_length=10, choices=ResidenceStatus.choices,
                                        default=ResidenceStatus.PERMANENT)
    residence_status_from = models.DateField(_("tình trạng cư trú từ ngày"), null=True, blank=True)
    residence_status_to = models.DateField(
        _("tình trạng cư trú đến ngày"), null=True, blank=True,
        help_text="Exclusive end; a temporary absence (tạm vắng) counts as at home outside [from, to)",
    )

    objects = ResidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("người dân")
        verbose_name_plural = _("người dân")
        indexes = [
            models.Index(fields=["commune", "name_folded"], name="resident_commune_name_idx"),
            models.Index(fields=["commune", "completeness_pct"], name="resident_commune_complete_idx"),
            # Identifiers are only ever matched exactly: declared here rather than with unique=True/db_index=True,
            # PostgreSQL gets no extra varchar_pattern_ops ("_like") index, which only serves LIKE 'prefix%'
            # (each cost ~1 s of a 1 M-resident synth load and space on every write).
            models.Index(fields=["phone"], name="resident_phone_idx"),
            models.Index(fields=["bhyt_card_number"], name="resident_bhyt_card_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["cccd"], name="resident_cccd_unique"),
            models.UniqueConstraint(fields=["social_insurance_number"], name="resident_sin_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def relationship_label(self) -> str:
        """The household-book wording of ``relationship_to_head`` (stored as a code)."""
        value = self.relationship_to_head
        return str(Relationship(value).label) if value in Relationship.values else value


class Relationship(models.TextChoices):
    """Relationship to the household head, as the household book (sổ hộ khẩu) writes it."""

    HEAD = "head", _("Chủ hộ")
    SPOUSE = "spouse", _("Vợ/chồng")
    CHILD = "child", _("Con")
    PARENT = "parent", _("Bố/mẹ")
    GRANDCHILD = "grandchild", _("Cháu")
    GRANDPARENT = "grandparent", _("Ông/bà")
    SIBLING = "sibling", _("Anh/chị/em")
    CHILD_IN_LAW = "child_in_law", _("Con dâu/con rể")
    OTHER = "other", _("Khác")


# --- QĐ 831/QĐ-BYT personal health record, part II (history and health-related factors) ---


class HealthProfile(models.Model):
    """Blood group, condition at birth and the "reviewed: none" answers of the history sections.

    A history section with no rows is ambiguous (never asked, or nothing to report); the ``*_none``
    flags record that the nurse asked and there was nothing, so completeness can tell the two apart.
    """

    class BloodGroup(models.TextChoices):
        A = "A", "A"
        B = "B", "B"
        AB = "AB", "AB"
        O = "O", "O"  # noqa: E741 - the blood group

    class Rh(models.TextChoices):
        POSITIVE = "+", _("Rh+ (dương)")
        NEGATIVE = "-", _("Rh− (âm)")

    class Delivery(models.TextChoices):
        VAGINAL = "vaginal", _("Đẻ thường")
        CAESAREAN = "caesarean", _("Đẻ mổ")
        UNKNOWN = "unknown", _("Không rõ")

    resident = models.OneToOneField(Resident, on_delete=models.CASCADE, related_name="health_profile")
    blood_group = models.CharField(_("nhóm máu"), max_length=2, choices=BloodGroup.choices, blank=True)
    rh = models.CharField(_("Rh"), max_length=1, choices=Rh.choices, blank=True)
    birth_delivery = models.CharField(_("cách đẻ"), max_length=10, choices=Delivery.choices, blank=True)
    birth_preterm = models.BooleanField(_("đẻ thiếu tháng"), null=True, blank=True)
    birth_asphyxia = models.BooleanField(_("bị ngạt lúc đẻ"), null=True, blank=True)
    birth_weight_g = models.PositiveSmallIntegerField(_("cân nặng lúc đẻ (gam)"), null=True, blank=True)
    birth_length_cm = models.DecimalField(_("chiều dài lúc đẻ (cm)"), max_digits=4, decimal_places=1,
                                          null=True, blank=True)
    birth_defects = models.CharField(_("dị tật bẩm sinh"), max_length=255, blank=True)
    birth_other_problems = models.CharField(_("vấn đề khác lúc sinh"), max_length=255, blank=True)
    allergies_none = models.BooleanField(_("đã hỏi: không có dị ứng"), default=False)
    conditions_none = models.BooleanField(_("đã hỏi: không có bệnh tật"), default=False)
    family_history_none = models.BooleanField(_("đã hỏi: gia đình không có bệnh"), default=False)
    disabilities_none = models.BooleanField(_("đã hỏi: không có khuyết tật"), default=False)
    surgeries_none = models.BooleanField(_("đã hỏi: chưa phẫu thuật"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("thông tin sức khỏe chung")
        verbose_name_plural = _("thông tin sức khỏe chung")


class RiskFactors(models.Model):
    """Personal risk factors (QĐ 831 part II.2): tobacco incl. thuốc lào, alcohol, drugs, activity, exposure."""

    class Tobacco(models.TextChoices):
        NONE = "none", _("Không hút")
        CIGARETTE = "cigarette", _("Thuốc lá")
        WATER_PIPE = "thuoc_lao", _("Thuốc lào")
        BOTH = "both", _("Cả thuốc lá và thuốc lào")

    class Alcohol(models.TextChoices):
        NONE = "none", _("Không uống")
        OCCASIONAL = "occasional", _("Thỉnh thoảng")
        REGULAR = "regular", _("Thường xuyên")

    class Activity(models.TextChoices):
        NONE = "none", _("Không tập")
        OCCASIONAL = "occasional", _("Thỉnh thoảng")
        REGULAR = "regular", _("Thường xuyên (≥ 150 phút/tuần)")

    resident = models.OneToOneField(Resident, on_delete=models.CASCADE, related_name="risk_factors")
    tobacco = models.CharField(_("hút thuốc"), max_length=10, choices=Tobacco.choices)
    tobacco_per_day = models.PositiveSmallIntegerField(_("số điếu/lần mỗi ngày"), null=True, blank=True)
    tobacco_quit = models.BooleanField(_("đã bỏ thuốc"), default=False)
    alcohol = models.CharField(_("uống rượu bia"), max_length=10, choices=Alcohol.choices)
    alcohol_glasses_per_day = models.PositiveSmallIntegerField(_("số ly/cốc mỗi ngày"), null=True, blank=True)
    alcohol_quit = models.BooleanField(_("đã bỏ rượu bia"), default=False)
    drug_use = models.BooleanField(_("sử dụng ma túy"), default=False)
    drug_use_quit = models.BooleanField(_("đã bỏ ma túy"), default=False)
    physical_activity = models.CharField(_("hoạt động thể lực"), max_length=10, choices=Activity.choices)
    occupational_exposure = models.CharField(
        _("tiếp xúc yếu tố nguy cơ nghề nghiệp/môi trường"), max_length=255, blank=True,
        help_text=_("Hóa chất, bụi, ồn, virus…"),
    )
    exposure_years = models.PositiveSmallIntegerField(_("thời gian tiếp xúc (năm)"), null=True, blank=True)
    other_risks = models.CharField(_("nguy cơ khác"), max_length=255, blank=True)
    recorded_on = models.DateField(_("ngày ghi nhận"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("yếu tố nguy cơ")
        verbose_name_plural = _("yếu tố nguy cơ")


class Allergy(models.Model):
    class Kind(models.TextChoices):
        DRUG = "drug", _("Thuốc")
        CHEMICAL = "chemical", _("Hóa chất/mỹ phẩm")
        FOOD = "food", _("Thực phẩm")
        OTHER = "other", _("Khác")

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="allergies")
    kind = models.CharField(_("loại dị ứng"), max_length=10, choices=Kind.choices)
    agent = models.CharField(_("tác nhân"), max_length=200)
    reaction = models.CharField(_("biểu hiện"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dị ứng")
        verbose_name_plural = _("dị ứng")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.agent}" + (f" ({self.reaction})" if self.reaction else "")


class Disability(models.Model):
    class Kind(models.TextChoices):
        HEARING = "hearing", _("Thính lực")
        VISION = "vision", _("Thị lực")
        HANDS = "hands", _("Tay")
        LEGS = "legs", _("Chân")
        SPINE = "spine", _("Cong vẹo cột sống")
        CLEFT = "cleft", _("Khe hở môi, vòm miệng")
        OTHER = "other", _("Khác")

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="disabilities")
    kind = models.CharField(_("loại khuyết tật"), max_length=10, choices=Kind.choices)
    description = models.CharField(_("mô tả"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("khuyết tật")
        verbose_name_plural = _("khuyết tật")

    def __str__(self) -> str:
        return str(self.get_kind_display()) + (f": {self.description}" if self.description else "")


class MedicalHistory(models.Model):
    """A condition in the person's own history or in the family's (then ``relation`` says who)."""

    class Whose(models.TextChoices):
        PERSONAL = "personal", _("Bản thân")
        FAMILY = "family", _("Gia đình")

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="medical_history")
    whose = models.CharField(_("tiền sử của"), max_length=8, choices=Whose.choices)
    relation = models.CharField(_("người mắc (quan hệ)"), max_length=40, blank=True)
    condition = models.CharField(_("bệnh"), max_length=200)
    icd10_code = models.CharField(_("mã ICD-10"), max_length=8, blank=True)
    since_year = models.PositiveSmallIntegerField(_("năm phát hiện"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tiền sử bệnh")
        verbose_name_plural = _("tiền sử bệnh")

    def __str__(self) -> str:
        who = self.relation if self.whose == self.Whose.FAMILY else self.get_whose_display()
        code = f" [{self.icd10_code}]" if self.icd10_code else ""
        return f"{who}: {self.condition}{code}" + (f", {self.since_year}" if self.since_year else "")


class SurgeryHistory(models.Model):
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="surgeries")
    procedure = models.CharField(_("phẫu thuật"), max_length=200)
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    facility = models.CharField(_("nơi phẫu thuật"), max_length=200, blank=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tiền sử phẫu thuật")
        verbose_name_plural = _("tiền sử phẫu thuật")

    def __str__(self) -> str:
        return ", ".join(str(p) for p in (self.procedure, self.year, self.facility) if p)


class ReproductiveHistory(models.Model):
    """Reproductive health and family planning (QĐ 831 part II.7), kept for women."""

    class Contraception(models.TextChoices):
        NONE = "none", _("Không dùng")
        PILL = "pill", _("Thuốc uống")
        IUD = "iud", _("Dụng cụ tử cung")
        CONDOM = "condom", _("Bao cao su")
        INJECTION = "injection", _("Thuốc tiêm")
        IMPLANT = "implant", _("Que cấy")
        STERILISATION = "sterilisation", _("Triệt sản")
        OTHER = "other", _("Khác")

    resident = models.OneToOneField(Resident, on_delete=models.CASCADE, related_name="reproductive_history")
    contraception = models.CharField(_("biện pháp tránh thai đang dùng"), max_length=14,
                                     choices=Contraception.choices, blank=True)
    pregnancies = models.PositiveSmallIntegerField(_("số lần có thai"), default=0)
    miscarriages = models.PositiveSmallIntegerField(_("số lần sẩy thai"), default=0)
    abortions = models.PositiveSmallIntegerField(_("số lần phá thai"), default=0)
    births_vaginal = models.PositiveSmallIntegerField(_("số lần đẻ thường"), default=0)
    births_caesarean = models.PositiveSmallIntegerField(_("số lần đẻ mổ"), default=0)
    births_difficult = models.PositiveSmallIntegerField(_("số lần đẻ khó"), default=0)
    births_full_term = models.PositiveSmallIntegerField(_("số lần đẻ đủ tháng"), default=0)
    births_preterm = models.PositiveSmallIntegerField(_("số lần đẻ non"), default=0)
    living_children = models.PositiveSmallIntegerField(_("số con hiện sống"), default=0)
    last_pregnancy_year = models.PositiveSmallIntegerField(_("năm có thai lần cuối"), null=True, blank=True)
    last_menstrual_period = models.DateField(_("ngày đầu kỳ kinh cuối"), null=True, blank=True)
    gynaecological_conditions = models.CharField(_("bệnh phụ khoa"), max_length=255, blank=True)
    recorded_on = models.DateField(_("ngày ghi nhận"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sức khỏe sinh sản")
        verbose_name_plural = _("sức khỏe sinh sản")


# --- life events ---


class ResidenceHistory(models.Model):
    """Where a person lived when: half-open ``[valid_from, valid_to)``; ``valid_to`` NULL = lives there now.

    A commune keeps counting a person for the period they lived there after they move away.
    """

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="residence_history")
    commune = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("orgunits.OrgUnit", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)

    class Meta:
        verbose_name = _("lịch sử cư trú")
        verbose_name_plural = _("lịch sử cư trú")
        indexes = [models.Index(fields=["commune", "valid_from", "valid_to"], name="residence_commune_period_idx")]
        constraints = [
            models.UniqueConstraint(fields=["resident"], condition=models.Q(valid_to__isnull=True),
                                    name="residence_one_current_per_resident"),
        ]


class LifeEvent(models.Model):
    """The register's journal of births, deaths and moves (the audit trail says who; this says what)."""

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("Đăng ký vào sổ")
        BIRTH = "birth", _("Sinh")
        DEATH = "death", _("Tử vong")
        MOVE_OUT = "move_out", _("Chuyển đi")
        MOVE_IN = "move_in", _("Chuyển đến")
        MOVE_WITHIN = "move_within", _("Chuyển hộ/thôn trong xã")

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="life_events")
    kind = models.CharField(_("sự kiện"), max_length=12, choices=Kind.choices)
    occurred_on = models.DateField(_("ngày"))
    commune = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+",
                                help_text="The commune the event is recorded in")
    other_commune = models.ForeignKey("orgunits.OrgUnit", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+", help_text="For a move: where from / where to")
    cause_icd10 = models.CharField(_("nguyên nhân (ICD-10)"), max_length=8, blank=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    recorded_by = models.ForeignKey("accounts.User", null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sự kiện hộ tịch")
        verbose_name_plural = _("sự kiện hộ tịch")
        indexes = [models.Index(fields=["commune", "kind", "occurred_on"], name="lifeevent_commune_kind_idx")]


from ytcs.people.dedup.models import DuplicateCandidate, MergeLog  # noqa: E402, F401 - models of the people app
