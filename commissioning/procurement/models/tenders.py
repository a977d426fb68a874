"""Quotes and tenders (issue 10, points 5 and 6): the low-value quotes route, and a tender with its documents,
weighted award criteria, deadline, clarification questions, suppliers' interest and sealed bids, opened after the
deadline by two officers.

Sealed content (a bid's price, its answers and its files) lives apart from the bid, in BidEnvelope, BidAnswer and
BidAttachment. Those three keep no django-simple-history, are not in the configuration admin, and are read only
through `procurement.selectors.bids.bid_envelope_for`, which refuses before the bids are opened (ADR 0014). The Bid
itself holds only what may be known before the deadline: who, when, and whether it was submitted or withdrawn.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from commissioning.core.models import one_of
from commissioning.core.money import MONEY

# Scores 0 to 5 against written descriptors, like the grants scale (DOMAIN.md, "Evaluation conventions").
DEFAULT_DESCRIPTORS = (
    "No answer, or an answer that does not address the question",
    "Very poor: major gaps or concerns",
    "Poor: some gaps or concerns",
    "Satisfactory: meets the requirement",
    "Good: meets the requirement with some added value",
    "Excellent: exceeds the requirement, with strong evidence",
)


# --- Quotes ----------------------------------------------------------------------------------------------------


def _quote_path(instance, filename):
    return f"quotes/{uuid.uuid4().hex}/{uuid.uuid4().hex}"


class Quote(models.Model):
    """A written quote asked for on the quotes route (standing orders: how many depends on the tier). Invited, then
    recorded when it arrives; one quote of a case is chosen, with the reason."""

    case = models.ForeignKey("procurement.CommissioningCase", on_delete=models.CASCADE, related_name="quotes")
    supplier_name = models.CharField(max_length=200)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="quotes"
    )
    contact_email = models.EmailField(blank=True)
    invited_on = models.DateField()
    received_on = models.DateField(null=True, blank=True)
    amount = models.DecimalField(**MONEY, null=True, blank=True, help_text="In pounds, including VAT")
    document = models.FileField(upload_to=_quote_path, blank=True, max_length=255)
    document_name = models.CharField(max_length=200, blank=True)
    document_type = models.CharField(max_length=100, blank=True)
    chosen = models.BooleanField(default=False)
    chosen_reason = models.TextField(blank=True)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    chosen_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["document"])

    class Meta:
        ordering = ["case", "invited_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(chosen=True), name="quote_one_chosen_per_case"),
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gt=0), name="quote_amount_positive"),
            models.CheckConstraint(
                condition=Q(chosen=False) | (Q(amount__isnull=False) & ~Q(chosen_reason="")),
                name="quote_chosen_has_amount_and_reason",
            ),
        ]

    def __str__(self):
        return f"Quote from {self.supplier_name}"

    @property
    def is_received(self) -> bool:
        return self.amount is not None


# --- Tenders ---------------------------------------------------------------------------------------------------


class TenderStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Open for bids"
    OPENED = "opened", "Bids opened"
    CANCELLED = "cancelled", "Cancelled"


class Tender(models.Model):
    """The invitation to tender of a commissioning case on the open or competitive flexible route."""

    Status = TenderStatus

    case = models.ForeignKey("procurement.CommissioningCase", on_delete=models.PROTECT, related_name="tenders")
    reference = models.CharField(max_length=20, unique=True, editable=False)
    title = models.CharField(max_length=200)
    description = models.TextField(help_text="What is being bought, for whom, and for how long")
    status = models.CharField(max_length=16, choices=TenderStatus.choices, default=TenderStatus.DRAFT)
    deadline = models.DateTimeField(help_text="Bids must arrive before this moment (UK time)")
    questions_close_at = models.DateTimeField(
        null=True, blank=True, help_text="Clarification questions are taken until this moment; empty for the deadline"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-deadline", "reference"]
        constraints = [one_of("status", TenderStatus, name="tender_status_valid")]

    def __str__(self):
        return f"{self.reference}: {self.title}"


def _document_path(instance, filename):
    return f"tenders/{uuid.uuid4().hex}/{uuid.uuid4().hex}"


class TenderDocument(models.Model):
    """A procurement document (specification, terms, pricing schedule...) every interested supplier may read."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=_document_path, max_length=255)
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["file"])

    class Meta:
        ordering = ["tender", "uploaded_at", "id"]

    def __str__(self):
        return self.title


class CriterionKind(models.TextChoices):
    QUALITY = "quality", "Quality"
    PRICE = "price", "Price"
    SOCIAL_VALUE = "social_value", "Social value"


class AwardCriterion(models.Model):
    """An award criterion or, with a parent, one of its sub-criteria. The weights of the top-level criteria add up
    to 100, and a criterion's sub-criteria add up to its weight (checked when the tender is published). Price is
    one criterion without sub-criteria, scored by formula; every other criterion or sub-criterion without
    sub-criteria of its own is a question bidders answer and evaluators score 0 to 5 against its descriptors."""

    Kind = CriterionKind

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="sub_criteria")
    kind = models.CharField(max_length=16, choices=CriterionKind.choices)
    title = models.CharField(max_length=200)
    guidance = models.TextField(blank=True, help_text="The question bidders answer, and what a good answer shows")
    weight = models.DecimalField(max_digits=5, decimal_places=2, help_text="Percentage of the total score")
    order = models.PositiveSmallIntegerField(default=0)
    # Six descriptors, for scores 0 to 5.
    descriptors = models.JSONField(default=list)

    history = HistoricalRecords()

    class Meta:
        ordering = ["tender", "order", "id"]
        verbose_name_plural = "award criteria"
        constraints = [
            one_of("kind", CriterionKind, name="award_criterion_kind_valid"),
            models.CheckConstraint(condition=Q(weight__gt=0) & Q(weight__lte=100), name="award_criterion_weight_range"),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(kind="price"), name="award_criterion_price_has_no_parent"
            ),
        ]

    def __str__(self):
        return self.title


class ExpressionOfInterest(models.Model):
    """A supplier's interest in a tender: it hears of answers to clarification questions and of changes."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="interests")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="tender_interests"
    )
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["tender", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["tender", "organisation"], name="interest_once_per_organisation")
        ]

    def __str__(self):
        return f"Interest in {self.tender_id} from organisation {self.organisation_id}"


class ClarificationQuestion(models.Model):
    """A supplier's question about a tender. Its answer is published to every supplier with the question, never
    naming who asked (the asker is kept for the officers only)."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="clarifications")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="tender_questions"
    )
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    question = models.TextField()
    asked_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["tender", "asked_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(answer=""), name="clarification_answered_has_answer"
            )
        ]

    def __str__(self):
        return f"Clarification question {self.pk}"


# --- Bids --------------------------------------------------------------------------------------------------------


class BidStatus(models.TextChoices):
    DRAFT = "draft", "Not submitted"
    SUBMITTED = "submitted", "Submitted"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Bid(models.Model):
    """A supplier's bid for a tender: only what may be known before the deadline. The price, answers and files are
    sealed in the bid's envelope (BidEnvelope, BidAnswer, BidAttachment)."""

    Status = BidStatus

    tender = models.ForeignKey(Tender, on_delete=models.PROTECT, related_name="bids")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="bids")
    status = models.CharField(max_length=16, choices=BidStatus.choices, default=BidStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["tender", "submitted_at", "id"]
        constraints = [
            one_of("status", BidStatus, name="bid_status_valid"),
            models.UniqueConstraint(fields=["tender", "organisation"], name="bid_once_per_organisation"),
            models.CheckConstraint(
                condition=~Q(status="submitted") | Q(submitted_at__isnull=False), name="bid_submitted_has_time"
            ),
        ]

    def __str__(self):
        return f"Bid {self.pk} for {self.tender.reference}"


class BidEnvelope(models.Model):
    """A bid's sealed price. No history and no admin: read only through selectors.bids.bid_envelope_for."""

    bid = models.OneToOneField(Bid, on_delete=models.CASCADE, related_name="envelope")
    price = models.DecimalField(
        **MONEY, null=True, blank=True, help_text="The total price for the whole contract, in pounds, including VAT"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(price__isnull=True) | Q(price__gt=0), name="bid_price_positive")
        ]

    def __str__(self):
        return f"Sealed envelope of bid {self.bid_id}"


class BidAnswer(models.Model):
    """A bid's sealed answer to one criterion (quality or social value). No history and no admin."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(AwardCriterion, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["bid", "criterion__order", "criterion_id"]
        constraints = [models.UniqueConstraint(fields=["bid", "criterion"], name="bid_answer_once_per_criterion")]

    def __str__(self):
        return f"Sealed answer of bid {self.bid_id}"


def _bid_file_path(instance, filename):
    """A random name under a folder of its own: nothing in the path says whose bid it is or what it was called."""
    return f"bids/{uuid.uuid4().hex}/{uuid.uuid4().hex}"


class BidAttachment(models.Model):
    """A sealed file of a bid. No history and no admin; served only by the permission-checked download views."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_bid_file_path, max_length=255)
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["bid", "uploaded_at", "id"]

    def __str__(self):
        return f"Sealed file of bid {self.bid_id}"


class BidOpening(models.Model):
    """The recorded opening of a tender's bids after its deadline, attended by two officers (standing orders): one
    starts it, a different one confirms it; only then are the envelopes readable."""

    tender = models.OneToOneField(Tender, on_delete=models.PROTECT, related_name="opening")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    bids_received = models.PositiveSmallIntegerField(default=0)
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True) | ~Q(confirmed_by=F("started_by")),
                name="bid_opening_two_different_officers",
                violation_error_message="The bids must be opened by two different officers",
            ),
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True, confirmed_at__isnull=True)
                | Q(confirmed_by__isnull=False, confirmed_at__isnull=False),
                name="bid_opening_confirmed_together",
            ),
        ]

    def __str__(self):
        return f"Opening of {self.tender.reference}"

    @property
    def is_complete(self) -> bool:
        return self.confirmed_at is not None
