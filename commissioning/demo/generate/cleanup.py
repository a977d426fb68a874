"""Recognising generated data, and removing it (generate_data --replace)."""

from collections import Counter
from decimal import Decimal

from django.db import IntegrityError, connection
from django.db.models import Q, Sum

from commissioning.accounts.models import User
from commissioning.agreements.models import (
    Agreement,
    AgreementDocument,
    AgreementVariation,
    CoFunder,
    SafetyFundReviewLine,
    Service,
)
from commissioning.demo.generate.common import (
    AGREEMENT_PREFIX,
    GEN,
    GENERATED_BUDGET_NOTE,
    ORG_PREFIX,
    PENNY,
    SERVICE_PREFIX,
    STREAM_PREFIX,
    USER_DOMAIN,
    GenerateError,
)
from commissioning.demo.generate.grants import REFERENCE_PREFIX as GRANT_REFERENCE_PREFIX
from commissioning.funds.models import (
    Budget,
    BudgetLine,
    Commitment,
    FundingStream,
    Payment,
    Repayment,
    ScheduledPayment,
    StreamAllocation,
    StreamReturnDate,
    Virement,
)
from commissioning.grants.models import (
    Application,
    Award,
    EndOfGrantReport,
    GrantRound,
    InnovationCandidate,
    Prioritisation,
    PrioritisationEntry,
)
from commissioning.monitoring.models import (
    CaseStudy,
    FeedbackRecord,
    KpiReturn,
    ReturnDecision,
    ReturnNarrative,
    ReturnSchedule,
    ReturnValue,
    ReturnVersion,
    ServiceKpi,
)
from commissioning.organisations.models import Organisation
from commissioning.procurement.models import (
    AwardCriterion,
    AwardLetter,
    Bid,
    BidAnswer,
    BidAssignment,
    BidEnvelope,
    BidModeratedScore,
    BidModeration,
    BidOpening,
    BidResult,
    BidScore,
    ClarificationQuestion,
    CommissioningCase,
    ContractAward,
    ExpressionOfInterest,
    Notice,
    Quote,
    Tender,
    TenderEvaluation,
)
from commissioning.strategy.models import DecisionRecord


def _monitoring_steps(services) -> tuple:
    """Generated services' KPIs, returns (versions, figures, decisions), narratives, case studies and feedback."""
    returns = KpiReturn.objects.filter(service__in=services.values("pk"))
    versions = ReturnVersion.objects.filter(kpi_return__in=returns.values("pk"))
    return (
        ("return decisions", ReturnDecision.objects.filter(version__in=versions.values("pk"))),
        ("KPI values", ReturnValue.objects.filter(version__in=versions.values("pk"))),
        ("return versions", versions),
        ("case studies", CaseStudy.objects.filter(kpi_return__in=returns.values("pk"))),
        ("narratives", ReturnNarrative.objects.filter(kpi_return__in=returns.values("pk"))),
        ("KPI returns", returns),
        ("service KPIs", ServiceKpi.objects.filter(service__in=services.values("pk"))),
        ("return schedules", ReturnSchedule.objects.filter(service__in=services.values("pk"))),
        ("feedback records", FeedbackRecord.objects.filter(service__in=services.values("pk"))),
    )


def _procurement_steps(cases) -> tuple:
    """Generated commissioning cases and everything their procurements made, children first."""
    tenders = Tender.objects.filter(case__in=cases.values("pk"))
    bids = Bid.objects.filter(tender__in=tenders.values("pk"))
    assignments = BidAssignment.objects.filter(bid__in=bids.values("pk"))
    moderations = BidModeration.objects.filter(bid__in=bids.values("pk"))
    return (
        ("award letters", AwardLetter.objects.filter(bid__in=bids.values("pk"))),
        ("contract awards", ContractAward.objects.filter(tender__in=tenders.values("pk"))),
        ("bid results", BidResult.objects.filter(bid__in=bids.values("pk"))),
        ("moderated scores", BidModeratedScore.objects.filter(moderation__in=moderations.values("pk"))),
        ("moderations", moderations),
        ("bid scores", BidScore.objects.filter(assignment__in=assignments.values("pk"))),
        ("bid assignments", assignments),
        ("tender evaluations", TenderEvaluation.objects.filter(tender__in=tenders.values("pk"))),
        ("bid openings", BidOpening.objects.filter(tender__in=tenders.values("pk"))),
        ("bid answers", BidAnswer.objects.filter(bid__in=bids.values("pk"))),
        ("bid envelopes", BidEnvelope.objects.filter(bid__in=bids.values("pk"))),
        ("bids", bids),
        ("clarification questions", ClarificationQuestion.objects.filter(tender__in=tenders.values("pk"))),
        ("interests", ExpressionOfInterest.objects.filter(tender__in=tenders.values("pk"))),
        ("award criteria", AwardCriterion.objects.filter(tender__in=tenders.values("pk"))),
        ("tenders", tenders),
        ("notices", Notice.objects.filter(case__in=cases.values("pk"))),
        ("quotes", Quote.objects.filter(case__in=cases.values("pk"))),
        (
            "case priorities",
            CommissioningCase.priorities.through.objects.filter(commissioningcase__in=cases.values("pk")),
        ),
        ("commissioning cases", cases),
    )


def _innovation_steps() -> tuple:
    """Generated Local Innovation Fund candidates, the lists generated users prepared, and their entries."""
    candidates = InnovationCandidate.objects.filter(title__endswith=GEN)
    entries = PrioritisationEntry.objects.filter(candidate__in=candidates.values("pk"))
    lists = Prioritisation.objects.filter(prepared_by__email__endswith=f"@{USER_DOMAIN}").exclude(
        entries__candidate__in=InnovationCandidate.objects.exclude(title__endswith=GEN).values("pk")
    )
    return (
        ("prioritisation entries", entries),
        ("prioritisations", lists),
        (
            "candidate priorities",
            InnovationCandidate.priorities.through.objects.filter(innovationcandidate__in=candidates.values("pk")),
        ),
        ("innovation candidates", candidates),
    )


def _delete_with_history(queryset) -> int:
    """Delete the rows and the history rows generate_data wrote for them (those of models that keep history)."""
    history = getattr(queryset.model, "history", None)
    if history is not None:
        _raw_delete(history.model.objects.filter(id__in=queryset.values("pk")))
    return _raw_delete(queryset)


def generated_data_present() -> bool:
    return (
        Organisation.objects.filter(code__startswith=ORG_PREFIX).exists()
        or Service.objects.filter(reference__startswith=SERVICE_PREFIX).exists()
        or Agreement.objects.filter(reference__startswith=AGREEMENT_PREFIX).exists()
        or FundingStream.objects.filter(code__startswith=STREAM_PREFIX).exists()
    )


def _raw_delete(queryset) -> int:
    # QuerySet.delete() would load every row and write a django-simple-history record for each; generated rows
    # have no history (they were bulk-created), so they go the same way, in one DELETE per table.
    return queryset._raw_delete(queryset.db)


def generated_data_delete() -> Counter:
    """Delete generated rows (and anything recorded against them, such as payments on generated agreements).

    Users and financial years are kept. Budgets that held generated lines are recomputed from what is left,
    and deleted if they were made by the generator and are now empty. Raises GenerateError if another record
    still refers to a generated one.
    """
    removed = Counter()
    agreements = Agreement.objects.filter(reference__startswith=AGREEMENT_PREFIX)
    services = Service.objects.filter(reference__startswith=SERVICE_PREFIX)
    commitments = Commitment.objects.filter(agreement__in=agreements.values("pk"))
    streams = FundingStream.objects.filter(code__startswith=STREAM_PREFIX)
    organisations = Organisation.objects.filter(code__startswith=ORG_PREFIX)
    lines = BudgetLine.objects.filter(Q(stream__code__startswith=STREAM_PREFIX) | Q(description__endswith=GEN))
    touched = set(lines.values_list("budget_id", flat=True))
    touched |= set(Budget.objects.filter(notes=GENERATED_BUDGET_NOTE).values_list("pk", flat=True))
    grant_applications = Application.objects.filter(reference__startswith=GRANT_REFERENCE_PREFIX)
    for name, queryset in (
        _procurement_steps(CommissioningCase.objects.filter(title__endswith=GEN)) + _innovation_steps()
    ):
        removed[name] = _delete_with_history(queryset)
    steps = (
        (
            "end-of-grant reports",
            EndOfGrantReport.objects.filter(award__application__in=grant_applications.values("pk")),
        ),
        ("awards", Award.objects.filter(application__in=grant_applications.values("pk"))),
        (
            "application priorities",
            Application.priorities.through.objects.filter(application__in=grant_applications.values("pk")),
        ),
        ("applications", grant_applications),
        ("grant rounds", GrantRound.objects.filter(name__endswith=GEN)),
        ("repayments", Repayment.objects.filter(commitment__in=commitments.values("pk"))),
        ("payments", Payment.objects.filter(commitment__in=commitments.values("pk"))),
        ("scheduled payments", ScheduledPayment.objects.filter(commitment__in=commitments.values("pk"))),
        ("commitments", commitments),
        ("virements", Virement.objects.filter(reason__endswith=GEN)),
        ("budget lines", lines),
        ("stream allocations", StreamAllocation.objects.filter(stream__in=streams.values("pk"))),
        ("return dates", StreamReturnDate.objects.filter(stream__in=streams.values("pk"))),
        ("funding streams", streams),
        ("review lines", SafetyFundReviewLine.objects.filter(agreement__in=agreements.values("pk"))),
        ("variations", AgreementVariation.objects.filter(agreement__in=agreements.values("pk"))),
        ("documents", AgreementDocument.objects.filter(agreement__in=agreements.values("pk"))),
        ("agreements", agreements),
        ("decision records", DecisionRecord.objects.filter(subject__endswith=GEN)),
        *_monitoring_steps(services),
        ("co-funders", CoFunder.objects.filter(service__in=services.values("pk"))),
        ("service priorities", Service.priorities.through.objects.filter(service__in=services.values("pk"))),
        ("service Panel areas", Service.panel_areas.through.objects.filter(service__in=services.values("pk"))),
        ("service ring-fences", Service.ring_fences.through.objects.filter(service__in=services.values("pk"))),
        ("services", services),
    )
    for name, queryset in steps:
        removed[name] = _raw_delete(queryset)
    # Generated users who act for a generated organisation wait at the OPCC until the new ones exist.
    opcc = Organisation.objects.filter(kind=Organisation.Kind.OPCC).first()
    if opcc is not None:
        User.objects.filter(email__endswith=f"@{USER_DOMAIN}", organisation__in=organisations.values("pk")).update(
            organisation=opcc
        )
    removed["organisation areas"] = _raw_delete(
        Organisation.areas_of_interest.through.objects.filter(organisation__in=organisations.values("pk"))
    )
    removed["organisations"] = _raw_delete(organisations)
    for budget in Budget.objects.filter(pk__in=touched):
        total = budget.lines.aggregate(total=Sum("amount"))["total"]
        in_use = Commitment.objects.filter(fund_id=budget.fund_id, year_id=budget.year_id).exists()
        if total is None and budget.notes == GENERATED_BUDGET_NOTE and not in_use:
            _raw_delete(Budget.objects.filter(pk=budget.pk))
            removed["budgets"] += 1
        else:
            Budget.objects.filter(pk=budget.pk).update(amount=(total or Decimal("0")).quantize(PENNY))
    try:
        connection.check_constraints()
    except IntegrityError as exc:
        raise GenerateError(
            f"generated data cannot be replaced: other records refer to it ({exc}). Remove those records first."
        ) from exc
    return Counter({name: count for name, count in removed.items() if count})
