"""The register of commissioned services, their agreements, co-funders, variations and the pre-year review
of the Commissioner's Safety Fund (seed, Sections 3 and 4; issue "Funds, budgets and the register")."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from commissioning.core.models import one_of
from commissioning.core.money import MONEY


class ServiceStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    ACTIVE = "active", "Active"
    IN_REVIEW = "in_review", "In strategic review"
    ENDED = "ended", "Ended"


class Service(models.Model):
    class Approach(models.TextChoices):
        PRIORITY = "priority_commissioning", "Priority commissioning"
        COMMUNITY_GRANT = "community_grant", "Community grant"
        ONE_OFF = "one_off_grant", "One-off grant"
        CO_COMMISSIONED = "co_commissioned", "Co-commissioned with partners"
        INHERITED = "inherited", "Inherited agreement"

    Status = ServiceStatus

    reference = models.CharField(max_length=20, unique=True, editable=False)
    name = models.CharField(max_length=200)
    purpose = models.TextField()
    provider = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="services")
    approach = models.CharField(max_length=24, choices=Approach.choices)
    priorities = models.ManyToManyField("strategy.Priority", related_name="services")
    panel_areas = models.ManyToManyField(
        "strategy.PanelArea", related_name="services", blank=True, verbose_name="Police and Crime Panel areas"
    )
    # Each service counts once in the Panel report, under its main area (it may also sit in others).
    main_panel_area = models.ForeignKey(
        "strategy.PanelArea",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="main_services",
        verbose_name="Main Police and Crime Panel area",
        help_text="The one area the Panel report counts the service under",
    )
    ring_fences = models.ManyToManyField(
        "funds.Fund",
        related_name="ring_fenced_services",
        blank=True,
        limit_choices_to={"is_ring_fenced": True},
        verbose_name="Ring-fenced purposes it serves",
        help_text="Money from a ring-fenced fund may only be committed to services serving its purpose",
    )
    delivery_area = models.CharField(max_length=200, blank=True, help_text="For example, pan-Dorset")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="Leave blank if ongoing")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[priorities, panel_areas, ring_fences])

    class Meta:
        ordering = ["name"]
        # The register lists services by name (issue 9: index what lists sort on).
        indexes = [models.Index(fields=["name", "id"], name="service_name_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="service_ends_after_start",
            ),
            one_of("status", ServiceStatus, name="service_status_valid"),
        ]

    def __str__(self):
        return self.name


class CoFunder(models.Model):
    """A partner's share of a co-commissioned service (DOMAIN.md: each share recorded)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="co_funders")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="co_funded_services"
    )
    amount = models.DecimalField(**MONEY, help_text="Their contribution over the life of the service")
    notes = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["service", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["service", "organisation"], name="cofunder_once_per_service"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="cofunder_amount_positive"),
        ]

    def __str__(self):
        return f"{self.organisation} on {self.service}"


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    ENDED = "ended", "Ended"
    TERMINATED = "terminated", "Terminated early"


class Agreement(models.Model):
    class Kind(models.TextChoices):
        GRANT = "grant", "Grant agreement"
        CONTRACT = "contract", "Contract"
        SLA = "sla", "Service level agreement"
        PARTNERSHIP = "partnership", "Partnership agreement"

    class Regime(models.TextChoices):
        GRANT = "grant", "Grant (not a procurement)"
        PCR_2015 = "pcr_2015", "Public Contracts Regulations 2015"
        PA_2023 = "pa_2023", "Procurement Act 2023"
        NONE = "none", "Not applicable"

    Status = AgreementStatus

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="agreements")
    reference = models.CharField(max_length=30, unique=True, editable=False)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    regime = models.CharField("Legal regime", max_length=10, choices=Regime.choices)
    value = models.DecimalField("Total value", **MONEY)
    starts_on = models.DateField()
    ends_on = models.DateField()
    conditions = models.TextField(blank=True)
    repayment_conditions = models.TextField(
        blank=True, help_text="When the OPCC may ask for money back (PRSRA 2011 s9(3))"
    )
    payment_terms = models.CharField(max_length=200, blank=True, help_text="For example, quarterly in arrears")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    signed_on = models.DateField(null=True, blank=True)
    decision = models.ForeignKey(
        "strategy.DecisionRecord", on_delete=models.PROTECT, null=True, blank=True, related_name="agreements"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "reference"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="agreement_ends_after_start"),
            models.CheckConstraint(condition=Q(value__gte=0), name="agreement_value_not_negative"),
            one_of("status", AgreementStatus, name="agreement_status_valid"),
        ]

    def __str__(self):
        return f"{self.reference}: {self.service}"


class AgreementDocument(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="agreements/%Y/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Publishing on the transparency pages (Elected Local Policing Bodies (Specified Information) Order 2011:
    # contracts over £10,000 with their documents). What the public gets is the redacted copy when there is
    # one; who redacted what, and why, is recorded with it (and every change is in the history).
    is_published = models.BooleanField("Published", default=False)
    published_file = models.FileField(
        "Redacted copy", upload_to="agreements/published/%Y/", blank=True, help_text="Published instead of the original"
    )
    published_content_type = models.CharField(max_length=100, blank=True)
    published_size = models.PositiveIntegerField(null=True, blank=True)
    redactions = models.TextField("What was redacted", blank=True)
    redaction_reason = models.TextField("Why it was redacted", blank=True)
    redacted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(published_by__isnull=False, published_at__isnull=False),
                name="published_document_says_who_published",
            ),
            models.CheckConstraint(
                condition=Q(published_file="")
                | (~Q(redactions="") & ~Q(redaction_reason="") & Q(redacted_by__isnull=False)),
                name="redacted_copy_says_what_why_and_who",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_redacted(self) -> bool:
        return bool(self.published_file)


class AgreementVariation(models.Model):
    """An extension, value change or scope change, recorded and approved (PCC or CFO by configuration)."""

    class Kind(models.TextChoices):
        EXTENSION = "extension", "Extension"
        VALUE = "value", "Value change"
        SCOPE = "scope", "Scope change"

    class Status(models.TextChoices):
        REQUESTED = "requested", "Awaiting approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="variations")
    number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    description = models.TextField()
    new_ends_on = models.DateField(null=True, blank=True, help_text="For an extension")
    value_change = models.DecimalField(
        **MONEY, null=True, blank=True, help_text="For a value change; negative to reduce"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=300, blank=True)
    decision = models.ForeignKey(
        "strategy.DecisionRecord", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="agreement_variation_number_unique"),
            models.CheckConstraint(
                condition=~Q(kind="extension") | Q(new_ends_on__isnull=False), name="extension_needs_new_end_date"
            ),
            models.CheckConstraint(
                condition=~Q(kind="value") | Q(value_change__isnull=False), name="value_change_needs_amount"
            ),
        ]

    def __str__(self):
        return f"Variation {self.number} to {self.agreement.reference}"


class SafetyFundReview(models.Model):
    """Before each year, the expected spend of ongoing 2+ year agreements, submitted to SMT/CFO (seed, Section 3)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted for approval"
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned for changes"

    fund = models.ForeignKey("funds.Fund", on_delete=models.PROTECT, related_name="+")
    year = models.ForeignKey(
        "funds.FinancialYear", on_delete=models.PROTECT, related_name="+", help_text="The coming year being budgeted"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year__start_year"]
        constraints = [models.UniqueConstraint(fields=["fund", "year"], name="safety_fund_review_once_per_year")]

    def __str__(self):
        return f"Pre-year review of {self.fund} for {self.year}"


class SafetyFundReviewLine(models.Model):
    review = models.ForeignKey(SafetyFundReview, on_delete=models.CASCADE, related_name="lines")
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="+")
    expected_spend = models.DecimalField(**MONEY, help_text="Worked out from the agreement")
    adjusted_spend = models.DecimalField(**MONEY, null=True, blank=True)
    adjustment_reason = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "agreement__reference"]
        constraints = [
            models.UniqueConstraint(fields=["review", "agreement"], name="review_line_once_per_agreement"),
            models.CheckConstraint(
                condition=Q(adjusted_spend__isnull=True) | ~Q(adjustment_reason=""),
                name="review_adjustment_needs_reason",
            ),
        ]

    def __str__(self):
        return f"{self.agreement} in {self.review}"

    @property
    def spend(self):
        return self.expected_spend if self.adjusted_spend is None else self.adjusted_spend


class ExitKind(models.TextChoices):
    EXPIRY = "expiry", "Ends at its end date"
    TERMINATION = "termination", "Terminated early"


class ExitServiceUsers(models.TextChoices):
    TRANSFERRED = "transferred", "Transferred to another service"
    REFERRED = "referred", "Referred to other services"
    COMPLETED = "completed", "Support completed before the end"
    NONE = "none", "No one is being supported"


class ExitStatus(models.TextChoices):
    NOTICE_GIVEN = "notice_given", "Notice given"
    COMPLETED = "completed", "Ended"


class AgreementExit(models.Model):
    """How an agreement ends: at its end date (expiry) or early (termination), with the notice given, the money
    released back to its funds, and what happens to the people the service supports (issue 11, point 5).

    Recorded when notice is given; completed on or after the end date, when the agreement and (if it has no
    other live agreement) its service are marked ended."""

    Kind = ExitKind
    ServiceUsers = ExitServiceUsers
    Status = ExitStatus

    agreement = models.OneToOneField(Agreement, on_delete=models.PROTECT, related_name="exit")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    notice_given_on = models.DateField()
    notice_period_days = models.PositiveSmallIntegerField(default=0)
    ends_on = models.DateField(help_text="The last day of the agreement")
    reason = models.TextField()
    service_users = models.CharField("What happens to service users", max_length=12, choices=ServiceUsers.choices)
    transition_plan = models.TextField(help_text="Who supports the people still using the service, and how")
    still_to_pay = models.DecimalField(**MONEY, default=0, help_text="Kept committed for work up to the end date")
    released = models.DecimalField(**MONEY, default=0, help_text="Money released back to the funds")
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.NOTICE_GIVEN)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-ends_on"]
        verbose_name = "agreement exit"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("notice_given_on")), name="exit_ends_after_notice"
            ),
            models.CheckConstraint(condition=Q(still_to_pay__gte=0), name="exit_still_to_pay_not_negative"),
            models.CheckConstraint(condition=Q(released__gte=0), name="exit_released_not_negative"),
            one_of("kind", ExitKind, name="exit_kind_valid"),
            one_of("status", ExitStatus, name="exit_status_valid"),
            one_of("service_users", ExitServiceUsers, name="exit_service_users_valid"),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_on__isnull=False), name="exit_completed_dated"
            ),
        ]

    def __str__(self):
        return f"Exit of {self.agreement.reference}"
