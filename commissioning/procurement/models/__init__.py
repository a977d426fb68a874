"""Priority commissioning (seed, the Priority Commissioning Scheme): configuration (thresholds, standing-order
tiers, approvers), commissioning cases from need to contract, and their parts (planning, market analysis,
specification, route to market, notices; tenders, bids, evaluation and award) in their own modules (ADR 0004)."""

from commissioning.procurement.models.cases import CaseStage, CommissioningCase, ProcurementRoute, Responsibility
from commissioning.procurement.models.config import (
    ApprovalAction,
    ApprovalRole,
    ProcurementThreshold,
    Regime,
    StandingOrderTier,
    ThresholdCategory,
)
from commissioning.procurement.models.market import Appetite, MarketEvent, MarketEventKind, MarketNote, MarketQuestion
from commissioning.procurement.models.notices import Notice, NoticeKind
from commissioning.procurement.models.planning import Engagement, EngagementMethod, ResourceReview
from commissioning.procurement.models.routes import Exemption, ExemptionGround, ExemptionStatus, RouteAssessment
from commissioning.procurement.models.specification import Specification, SpecificationKpi, SpecificationStatus
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
    "Appetite",
    "ApprovalAction",
    "ApprovalRole",
    "AwardCriterion",
    "Bid",
    "BidAnswer",
    "BidAttachment",
    "BidEnvelope",
    "BidOpening",
    "BidStatus",
    "CaseStage",
    "ClarificationQuestion",
    "CommissioningCase",
    "CriterionKind",
    "Engagement",
    "EngagementMethod",
    "Exemption",
    "ExemptionGround",
    "ExemptionStatus",
    "ExpressionOfInterest",
    "MarketEvent",
    "MarketEventKind",
    "MarketNote",
    "MarketQuestion",
    "Notice",
    "NoticeKind",
    "ProcurementRoute",
    "ProcurementThreshold",
    "Quote",
    "Regime",
    "Responsibility",
    "ResourceReview",
    "RouteAssessment",
    "Specification",
    "SpecificationKpi",
    "SpecificationStatus",
    "StandingOrderTier",
    "Tender",
    "TenderDocument",
    "TenderStatus",
    "ThresholdCategory",
]
