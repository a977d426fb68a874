"""Funds and how a fund's money is split between its sub-funds (DOMAIN.md, "Funds").

Later issues add financial years, budgets, commitments and payments here. Money is Decimal, never float.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from commissioning.core.models import one_of
from commissioning.core.money import MONEY


class Fund(models.Model):
    """A fund or sub-fund, such as the Safer Dorset Fund or its ring-fenced Child Sexual Abuse part."""

    class Role(models.TextChoices):
        """What the product does with a fund beyond holding money, declared in the OPCC's profile."""

        NONE = "", "No special role"
        SAFETY_FUND = "safety_fund", "Multi-year agreements, reviewed before each financial year"
        INNOVATION_FUND = "innovation_fund", "New projects, prioritised with allowances"

    code = models.SlugField(max_length=60, unique=True, help_text="Stable key used by profiles, e.g. victims-csa")
    name = models.CharField(max_length=200)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="Part of",
    )
    purpose = models.TextField(blank=True)
    is_ring_fenced = models.BooleanField(
        "Ring-fenced", default=False, help_text="Ring-fenced money may only fund services of its purpose"
    )
    ring_fence_purpose = models.TextField(blank=True, help_text="Required when the fund is ring-fenced")
    funded_by = models.CharField(
        max_length=300, blank=True, help_text="Where the money comes from, e.g. Ministry of Justice (annual)"
    )
    allows_carry_forward = models.BooleanField(
        default=True, help_text="Whether a year-end underspend may be carried into next year (annual grants: no)"
    )
    role = models.CharField(
        max_length=20,
        choices=Role.choices,
        blank=True,
        default=Role.NONE,
        help_text="A safety fund is reviewed before each year (its budget is the ongoing agreements' expected spend); "
        "an innovation fund's projects are prioritised. At most one fund has each role.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["role"],
                condition=~Q(role=""),
                name="fund_role_unique",
                violation_error_message="Another fund already has this role",
            ),
            models.CheckConstraint(
                condition=Q(is_ring_fenced=False) | ~Q(ring_fence_purpose=""),
                name="fund_ring_fence_needs_purpose",
                violation_error_message="Enter what the ring-fenced money may be spent on",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.is_ring_fenced and not self.ring_fence_purpose.strip():
            raise ValidationError({"ring_fence_purpose": "Enter what the ring-fenced money may be spent on"})
        ancestor, seen = self.parent, set()
        while ancestor is not None:
            if ancestor.pk is not None and (ancestor.pk == self.pk or ancestor.pk in seen):
                raise ValidationError({"parent": "A fund cannot be part of itself or of one of its own sub-funds"})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class FundSplit(models.Model):
    """One sub-fund's share of a parent fund from a date, e.g. Victims Fund → Core Victims Fund 93%.

    The shares of one parent on one effective date must add up to 100%; services.fund_split_set enforces
    that for the whole set (a row-level constraint cannot see the other rows).
    """

    parent = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="splits")
    child = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="split_shares", verbose_name="Sub-fund")
    percentage = models.DecimalField(max_digits=5, decimal_places=2, help_text="Share of the parent, e.g. 93.00")
    effective_from = models.DateField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["parent", "-effective_from", "-percentage"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percentage__gt=0) & Q(percentage__lte=100),
                name="fund_split_percentage_range",
                violation_error_message="A share must be more than 0%% and at most 100%%",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("child")),
                name="fund_split_not_to_itself",
                violation_error_message="A fund cannot be split into itself",
            ),
            models.UniqueConstraint(
                fields=["parent", "child", "effective_from"], name="fund_split_once_per_child_and_date"
            ),
        ]

    def __str__(self):
        return f"{self.child} {self.percentage}% of {self.parent} from {self.effective_from:%d %B %Y}"


class FinancialYearStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class FinancialYear(models.Model):
    """1 April to 31 March, written 2025/26. A closed year takes no new commitments or payments."""

    Status = FinancialYearStatus

    start_year = models.PositiveSmallIntegerField(unique=True, help_text="2025 for 2025/26")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["start_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_year__gte=2000) & Q(start_year__lte=2100), name="financial_year_plausible"
            ),
            one_of("status", FinancialYearStatus, name="financial_year_status_valid"),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    @property
    def fy(self):
        from commissioning.core.dates import FinancialYear as FY

        return FY(self.start_year)


class FundingStream(models.Model):
    """Where money comes from: a government grant, internal allocation, reserves, proceeds or a partner."""

    class Source(models.TextChoices):
        MOJ_VICTIMS = "moj_victims", "Ministry of Justice victims grant"
        HOME_OFFICE = "home_office", "Home Office grant"
        INTERNAL = "internal", "Internal budget allocation"
        RESERVES = "reserves", "PCC reserves"
        POLICE_PROPERTY_ACT = "police_property_act", "Police Property Act proceeds"
        PARTNER = "partner", "Partner contribution"
        OTHER_GRANT = "other_grant", "Other government grant"

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    source = models.CharField(max_length=24, choices=Source.choices)
    funder = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="funding_streams"
    )
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="streams", verbose_name="Pays into")
    grant_terms = models.TextField(blank=True, help_text="Conditions of the grant, e.g. what it may fund")
    reporting_requirements = models.TextField(blank=True, help_text="What the funder asks for, and how often")
    is_active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class StreamAllocation(models.Model):
    """A funding stream's amount for one financial year."""

    stream = models.ForeignKey(FundingStream, on_delete=models.CASCADE, related_name="allocations")
    year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="stream_allocations")
    amount = models.DecimalField(**MONEY)
    confirmed = models.BooleanField(default=False, help_text="Confirmed by the funder, not just expected")
    notes = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "stream"]
        constraints = [
            models.UniqueConstraint(fields=["stream", "year"], name="stream_allocation_once_per_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="stream_allocation_not_negative"),
        ]

    def __str__(self):
        return f"{self.stream} {self.year}"


class StreamReturnDate(models.Model):
    """A claim or return a funder requires, e.g. the MoJ's bi-annual monitoring return."""

    class Kind(models.TextChoices):
        CLAIM = "claim", "Grant claim"
        MONITORING = "monitoring", "Monitoring return"
        ACCOUNTS = "accounts", "Annual accounts"

    stream = models.ForeignKey(FundingStream, on_delete=models.CASCADE, related_name="return_dates")
    year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    due_on = models.DateField()
    description = models.CharField(max_length=200, blank=True)
    submitted_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on"]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.stream}, due {self.due_on:%d %B %Y}"


class Budget(models.Model):
    """A fund's budget for a year. `amount` is the sum of its lines, kept by services; this row is the lock
    taken (select_for_update) whenever money is committed against the fund, so two approvals cannot both
    spend the last pound."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="budgets")
    year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="budgets")
    amount = models.DecimalField(**MONEY, default=0)
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "fund"]
        constraints = [models.UniqueConstraint(fields=["fund", "year"], name="budget_once_per_fund_and_year")]

    def __str__(self):
        return f"{self.fund} {self.year}"


class BudgetLine(models.Model):
    """One source of a budget: a stream's allocation, a parent's split, carry-forward, a virement, a review."""

    class Kind(models.TextChoices):
        STREAM = "stream", "Funding stream allocation"
        SPLIT = "split", "Share of parent fund"
        CARRY_FORWARD = "carry_forward", "Carried forward from last year"
        VIREMENT = "virement", "Transfer between funds"
        PRE_YEAR_REVIEW = "pre_year_review", "Pre-year review of ongoing agreements"
        ADJUSTMENT = "adjustment", "Adjustment"

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    amount = models.DecimalField(**MONEY, help_text="Negative for money moved out")
    stream = models.ForeignKey(FundingStream, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    description = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["budget", "id"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.amount}"


class CommitmentStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    APPROVED = "approved", "Approved"
    COMMITTED = "committed", "Committed"
    RELEASED = "released", "Released"


# What counts against a budget: approved and committed money, and what a released commitment paid.
COUNTED = (CommitmentStatus.APPROVED, CommitmentStatus.COMMITTED, CommitmentStatus.RELEASED)


class Commitment(models.Model):
    """Money of one fund promised to one agreement for one year: planned → approved → committed → released.

    Approved and committed commitments count against the budget; `released_amount` is what was handed
    back (e.g. underspend at the end), so the commitment's live amount is amount - released_amount.
    """

    Status = CommitmentStatus

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="commitments")
    year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="commitments")
    agreement = models.ForeignKey("agreements.Agreement", on_delete=models.PROTECT, related_name="commitments")
    amount = models.DecimalField(**MONEY)
    released_amount = models.DecimalField(**MONEY, default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    approved_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "fund", "id"]
        # A year's commitments by fund and status: the fund positions, the budget checks and the payment list's
        # year and fund filters (which join payments to their commitment).
        indexes = [models.Index(fields=["year", "fund", "status"], name="commitment_year_fund_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="commitment_amount_positive"),
            models.CheckConstraint(
                condition=Q(released_amount__gte=0) & Q(released_amount__lte=models.F("amount")),
                name="commitment_release_within_amount",
            ),
            one_of("status", CommitmentStatus, name="commitment_status_valid"),
            models.UniqueConstraint(
                fields=["fund", "year", "agreement"], name="commitment_once_per_fund_year_agreement"
            ),
        ]

    def __str__(self):
        return f"{self.fund} → {self.agreement} ({self.year})"


class ScheduledPayment(models.Model):
    """A payment due under a commitment, e.g. quarterly in arrears."""

    class Status(models.TextChoices):
        DUE = "due", "Due"
        PAID = "paid", "Paid"
        CANCELLED = "cancelled", "Cancelled"

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="schedule")
    due_on = models.DateField()
    amount = models.DecimalField(**MONEY)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DUE)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="scheduled_payment_positive")]

    def __str__(self):
        return f"{self.amount} due {self.due_on:%d %B %Y}"


class Payment(models.Model):
    """Money paid out under a commitment (or, with a negative amount, a repayment received back)."""

    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="payments")
    scheduled = models.OneToOneField(
        ScheduledPayment, on_delete=models.SET_NULL, null=True, blank=True, related_name="payment"
    )
    paid_on = models.DateField()
    amount = models.DecimalField(**MONEY, help_text="Negative for a repayment received")
    reference = models.CharField(max_length=60, help_text="The finance system's payment reference")
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-paid_on", "-id"]
        # The payment list's order (newest first), read from the index rather than sorted on every page.
        indexes = [models.Index(fields=["-paid_on", "-id"], name="payment_newest_first_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="payment_not_zero"),
            models.UniqueConstraint(fields=["reference"], name="payment_reference_unique"),
        ]

    def __str__(self):
        return f"{self.reference} {self.amount}"


class Repayment(models.Model):
    """Claw-back when grant conditions are not met (PRSRA 2011 s9(3): grants may carry repayment conditions)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        RECEIVED = "received", "Received"
        WAIVED = "waived", "Waived"

    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="repayments")
    amount = models.DecimalField(**MONEY)
    reason = models.TextField(help_text="Which condition was not met")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    requested_on = models.DateField()
    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="repayment_positive")]

    def __str__(self):
        return f"Repayment of {self.amount} ({self.get_status_display()})"


class Virement(models.Model):
    """A transfer of budget between two funds in one year; takes effect when approved (CFO)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="virements")
    from_fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="virements_out")
    to_fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="virements_in")
    amount = models.DecimalField(**MONEY)
    reason = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="virement_positive"),
            models.CheckConstraint(condition=~Q(from_fund=models.F("to_fund")), name="virement_between_two_funds"),
        ]

    def __str__(self):
        return f"Transfer of {self.amount} from {self.from_fund} to {self.to_fund} ({self.year})"
