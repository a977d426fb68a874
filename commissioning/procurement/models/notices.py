"""Notices a commissioning case publishes (the Procurement Act 2023's UK notices, or Contracts Finder and Find a
Tender under the 2015 regulations). The route service records the notices a case must publish as required rows;
publishing one fills in its date and reference. Other parts (tender, award, contract) add their notices through
procurement.services.notices. New kinds are added to NoticeKind (and its migration)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from commissioning.core.models import one_of


class NoticeKind(models.TextChoices):
    """In the order a procurement publishes them."""

    PLANNING = "planning", "Planned procurement notice"
    PRELIMINARY_MARKET_ENGAGEMENT = "preliminary_market_engagement", "Preliminary market engagement notice"
    TENDER = "tender", "Tender notice"
    TRANSPARENCY = "transparency", "Transparency notice (direct award)"
    CONTRACT_AWARD = "contract_award", "Contract award notice"
    CONTRACT_DETAILS = "contract_details", "Contract details notice"
    BELOW_THRESHOLD = "below_threshold", "Below-threshold contract publication"


NOTICE_ORDER = {kind: index for index, kind in enumerate(NoticeKind.values)}


class Notice(models.Model):
    Kind = NoticeKind

    case = models.ForeignKey("procurement.CommissioningCase", on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=32, choices=NoticeKind.choices)
    required = models.BooleanField(default=False, help_text="The law or the standing orders require it")
    why = models.CharField(max_length=300, blank=True, help_text="Why it is required, in words")
    published_on = models.DateField(null=True, blank=True)
    reference = models.CharField(max_length=60, blank=True, help_text="The notice's number, e.g. UK4 on Find a Tender")
    url = models.URLField(blank=True, max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], name="notice_once_per_case_and_kind"),
            one_of("kind", NoticeKind, name="notice_kind_valid"),
            models.CheckConstraint(
                condition=Q(published_on__isnull=True) | ~Q(reference="") | ~Q(url=""),
                name="notice_published_has_reference",
            ),
        ]

    def __str__(self):
        return self.get_kind_display()

    @property
    def published(self) -> bool:
        return self.published_on is not None
