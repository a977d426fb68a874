"""Award, standstill and contract (issue 10, point 8): the PCC's decision is carried out by letters to every
bidder, the contract award notice, the standstill period, and then the contract: an agreement in the register
with its KPIs and the money committed for every year it runs, and the contract details notice."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from commissioning.core.models import one_of
from commissioning.core.money import MONEY
from commissioning.procurement.models.config import Regime


class AwardStatus(models.TextChoices):
    DECIDED = "decided", "Decided, letters not yet sent"
    STANDSTILL = "standstill", "In standstill"
    CONTRACTED = "contracted", "Contract in place"


class ContractAward(models.Model):
    """The award of a tender to its winning bid, from the decision to the contract."""

    Status = AwardStatus

    tender = models.OneToOneField("procurement.Tender", on_delete=models.PROTECT, related_name="award")
    bid = models.ForeignKey("procurement.Bid", on_delete=models.PROTECT, related_name="+")
    decision = models.ForeignKey("strategy.DecisionRecord", on_delete=models.PROTECT, related_name="+")
    regime = models.CharField(max_length=16, choices=Regime.choices)
    status = models.CharField(max_length=16, choices=AwardStatus.choices, default=AwardStatus.DECIDED)
    value = models.DecimalField(**MONEY, help_text="The winning price, including VAT")
    reasons = models.TextField(help_text="Why the winning bid is the most advantageous; every bidder is told")
    starts_on = models.DateField()
    ends_on = models.DateField()
    award_notice_published_on = models.DateField(null=True, blank=True)
    standstill_ends_on = models.DateField(null=True, blank=True)
    agreement = models.OneToOneField(
        "agreements.Agreement", on_delete=models.PROTECT, null=True, blank=True, related_name="contract_award"
    )
    contract_signed_on = models.DateField(null=True, blank=True)
    details_notice_published_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            one_of("status", AwardStatus, name="contract_award_status_valid"),
            one_of("regime", Regime, name="contract_award_regime_valid"),
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="contract_award_ends_after"),
            models.CheckConstraint(condition=Q(value__gt=0), name="contract_award_value_positive"),
            models.CheckConstraint(
                condition=Q(award_notice_published_on__isnull=True) | Q(standstill_ends_on__isnull=False),
                name="contract_award_notice_sets_standstill",
            ),
        ]

    def __str__(self):
        return f"Award of {self.tender.reference}"


class AwardLetter(models.Model):
    """The letter to one bidder: its own scores, the winner's, and the reasons. Kept as sent."""

    award = models.ForeignKey(ContractAward, on_delete=models.CASCADE, related_name="letters")
    bid = models.OneToOneField("procurement.Bid", on_delete=models.CASCADE, related_name="award_letter")
    successful = models.BooleanField()
    body = models.TextField()
    sent_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["award", "-successful", "bid_id"]

    def __str__(self):
        return f"Award letter for bid {self.bid_id}"
