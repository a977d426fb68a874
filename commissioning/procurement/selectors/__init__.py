"""Reads for procurement: configuration in force on a date (config.py) and commissioning cases (cases.py)."""

from commissioning.procurement.selectors.config import (
    approval_role_for,
    role_label,
    threshold_for,
    tier_for,
    tiers_on,
)

__all__ = ["approval_role_for", "role_label", "threshold_for", "tier_for", "tiers_on"]
