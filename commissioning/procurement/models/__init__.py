"""Priority commissioning (seed, the Priority Commissioning Scheme): configuration (thresholds, standing-order
tiers), commissioning cases from need to contract, and later parts (tenders, bids, evaluation, award) in their
own modules (ADR 0004)."""

from commissioning.procurement.models.cases import CaseStage, CommissioningCase, ProcurementRoute
from commissioning.procurement.models.config import ProcurementThreshold, Regime, StandingOrderTier, ThresholdCategory
from commissioning.procurement.models.tenders import (
    AwardCriterion,
    Bid,
    BidAnswer,
    BidAttachment,
    BidEnvelope,
    BidOpening,
    BidStatus,
    ClarificationQuestion,
    CriterionKind,
    ExpressionOfInterest,
    Quote,
    Tender,
    TenderDocument,
    TenderStatus,
)

__all__ = [
    "AwardCriterion",
    "Bid",
    "BidAnswer",
    "BidAttachment",
    "BidEnvelope",
    "BidOpening",
    "BidStatus",
    "CaseStage",
    "ClarificationQuestion",
    "CriterionKind",
    "ExpressionOfInterest",
    "Quote",
    "Tender",
    "TenderDocument",
    "TenderStatus",
    "CommissioningCase",
    "ProcurementRoute",
    "ProcurementThreshold",
    "Regime",
    "StandingOrderTier",
    "ThresholdCategory",
]
