"""Work waiting for each role, built with the apps' factories, for the home page's tests and its browser test."""

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from commissioning.agreements.tests.factories import VariationFactory
from commissioning.funds.models import Commitment, ScheduledPayment
from commissioning.funds.tests.factories import CommitmentFactory, FinancialYearFactory
from commissioning.grants.models import Application, AssessorAssignment
from commissioning.grants.tests.factories import (
    ApproachFactory,
    AssessmentCriterionFactory,
    AssessorAssignmentFactory,
    EndOfGrantReportFactory,
    GrantRoundFactory,
    PrioritisationFactory,
    ProposalAssessmentFactory,
    ProposalFormFactory,
    SubmittedApplicationFactory,
    round_to_decide,
)
from commissioning.strategy.models import SignOffStatus
from commissioning.strategy.tests.factories import StrategyDocumentFactory, StrategyVersionFactory

_numbers = itertools.count(1)


def next_number() -> int:
    return next(_numbers)


def pcc_work(users):
    document = StrategyDocumentFactory(title=f"Strategy awaiting signatures {next_number()}")
    version = StrategyVersionFactory(document=document, number=2, status=SignOffStatus.AWAITING)
    grant_round = round_to_decide(finance=users["finance_officer"])
    proposal = ProposalAssessmentFactory().proposal
    variation = VariationFactory(requested_by=users["commissioning_manager"])
    prioritisation = PrioritisationFactory()
    return {
        "version": version,
        "round": grant_round,
        "approach": proposal.approach,
        "variation": variation,
        "prioritisation": prioritisation,
    }


def assessor_work(user, *, count=2):
    grant_round = GrantRoundFactory(name="Community Grants spring 2026")
    criterion = AssessmentCriterionFactory(round=grant_round, name="Need")
    assignments = [
        AssessorAssignmentFactory(
            assessor=user,
            application__round=grant_round,
            application__project_title=f"Friday football {n}",
            declaration=AssessorAssignment.Declaration.NONE,
            declared_at=timezone.now(),
        )
        for n in range(count)
    ]
    return grant_round, criterion, assignments


def finance_work(*, rows=1):
    year = FinancialYearFactory(start_year=timezone.localdate().year)
    planned = [CommitmentFactory(year=year, amount=Decimal("1200.00")) for _ in range(rows)]
    payable = []
    for _ in range(rows):
        commitment = CommitmentFactory(year=year, status=Commitment.Status.APPROVED, amount=Decimal("4000.00"))
        ScheduledPayment.objects.create(
            commitment=commitment, due_on=timezone.localdate() + dt.timedelta(days=10), amount=Decimal("1000.00")
        )
        payable.append(commitment)
    return planned, payable


def officer_work(users, *, rows=1):
    grant_round = GrantRoundFactory(name="Community Grants autumn 2026")
    for _ in range(rows):
        SubmittedApplicationFactory(round=grant_round)
        SubmittedApplicationFactory(round=grant_round, status=Application.Status.MODERATED)
    approaches = [ApproachFactory(summary=f"Youth diversion worker {n}") for n in range(rows)]
    proposals = [ProposalFormFactory().approach for _ in range(rows)]
    reports = [EndOfGrantReportFactory() for _ in range(rows)]
    return grant_round, approaches, proposals, reports
