"""Funds and how a fund's money is split between its sub-funds (DOMAIN.md, "Funds").

Later issues add financial years, budgets, commitments and payments here. Money is Decimal, never float.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class Fund(models.Model):
    """A fund or sub-fund, such as the Safer Dorset Fund or its ring-fenced Child Sexual Abuse part."""

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
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        constraints = [
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
