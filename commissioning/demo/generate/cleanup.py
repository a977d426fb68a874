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
from commissioning.grants.models import Application, Award, EndOfGrantReport, GrantRound
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
