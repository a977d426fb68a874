"""Reads of procurement configuration: the threshold, tier or approver in force on a date."""

import datetime
from decimal import Decimal

from commissioning.accounts.roles import Role
from commissioning.procurement.models import ApprovalRole, ProcurementThreshold, StandingOrderTier


def threshold_for(regime: str, category: str, on_date: datetime.date) -> ProcurementThreshold | None:
    """The threshold of `regime` and `category` in force on `on_date`, or None before the first one."""
    return (
        ProcurementThreshold.objects.filter(regime=regime, category=category, effective_from__lte=on_date)
        .order_by("-effective_from")
        .first()
    )


def tiers_on(on_date: datetime.date) -> list[StandingOrderTier]:
    """The whole set of standing-order tiers in force on `on_date`, lowest first."""
    latest = (
        StandingOrderTier.objects.filter(effective_from__lte=on_date)
        .order_by("-effective_from")
        .values_list("effective_from", flat=True)
        .first()
    )
    if latest is None:
        return []
    return list(StandingOrderTier.objects.filter(effective_from=latest).order_by("min_value"))


def tier_for(value, on_date: datetime.date) -> StandingOrderTier | None:
    """The standing-order tier a purchase of `value` (pounds, Decimal or str) falls in on `on_date`."""
    if isinstance(value, float):
        raise TypeError("Money must not be a float; pass a string or Decimal.")
    value = Decimal(value)
    for tier in tiers_on(on_date):
        if tier.min_value <= value and (tier.max_value is None or value < tier.max_value):
            return tier
    return None


def approval_role_for(action: str, on_date: datetime.date) -> str | None:
    """The role the profile names to approve `action` (an ApprovalAction) on `on_date`, or None when it names none
    (then nobody may approve: a missing configuration never lets anyone through)."""
    return (
        ApprovalRole.objects.filter(action=action, effective_from__lte=on_date)
        .order_by("-effective_from")
        .values_list("role", flat=True)
        .first()
    )


def role_label(role: str | None) -> str:
    """The role's name for pages: "Chief Finance Officer"."""
    if not role:
        return "nobody (the profile names no approver)"
    try:
        return Role(role).label
    except ValueError:
        return role
