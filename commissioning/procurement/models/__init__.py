"""Priority commissioning (seed, the Priority Commissioning Scheme): configuration (thresholds, standing-order
tiers), commissioning cases from need to contract, and later parts (tenders, bids, evaluation, award) in their
own modules (ADR 0004)."""

from commissioning.procurement.models.cases import CaseStage, CommissioningCase, ProcurementRoute
from commissioning.procurement.models.config import ProcurementThreshold, Regime, StandingOrderTier, ThresholdCategory

__all__ = [
    "CaseStage",
    "CommissioningCase",
    "ProcurementRoute",
    "ProcurementThreshold",
    "Regime",
    "StandingOrderTier",
    "ThresholdCategory",
]
