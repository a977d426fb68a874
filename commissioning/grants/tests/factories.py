"""Factories for grants tests, shared by every part of the grants app (append; never reorder or remove)."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from commissioning.accounts.tests.factories import UserFactory
from commissioning.funds.tests.factories import FinancialYearFactory, FundFactory
from commissioning.grants.models import (
    Application,
    AssessmentCriterion,
    AssessorAssignment,
    GrantRound,
    GrantScheme,
    TermsVersion,
)
from commissioning.organisations.tests.factories import OrganisationFactory

DESCRIPTORS = [
    "No answer, or the answer does not address the question",
    "Poor: significant gaps or concerns",
    "Weak: some gaps or concerns",
    "Satisfactory: meets the requirement",
    "Good: meets the requirement with some strengths",
    "Excellent: exceeds the requirement with clear evidence",
]


class GrantSchemeFactory(factory.django.DjangoModelFactory):
    """A Community Grant Scheme-like scheme: £100 to £3,000."""

    class Meta:
        model = GrantScheme

    code = factory.Sequence(lambda n: f"test-scheme-{n}")
    name = factory.Sequence(lambda n: f"Test Grant Scheme {n}")
    description = "Small grants for voluntary and community groups."
    min_award = Decimal("100.00")
    max_award = Decimal("3000.00")
    fund = factory.SubFactory(FundFactory)
    who_can_apply = "Voluntary and community organisations in the county."


class TermsVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TermsVersion

    scheme = factory.SubFactory(GrantSchemeFactory)
    version = factory.Sequence(lambda n: f"v{n + 1}")
    text = "The grant must be spent on the project described. Unspent money must be repaid."
    effective_from = dt.date(2026, 4, 1)


class GrantRoundFactory(factory.django.DjangoModelFactory):
    """A published round that opened a month ago and closed yesterday, with a £10,000 budget."""

    class Meta:
        model = GrantRound

    scheme = factory.SubFactory(GrantSchemeFactory)
    name = factory.Sequence(lambda n: f"Test round {n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=30))
    closes_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    budget = Decimal("10000.00")
    fund = factory.SelfAttribute("scheme.fund")
    year = factory.SubFactory(FinancialYearFactory)
    terms = factory.SubFactory(TermsVersionFactory, scheme=factory.SelfAttribute("..scheme"))
    guidance = "Tell us what your project will do and who it will help."
    status = GrantRound.Status.PUBLISHED


class AssessmentCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentCriterion

    round = factory.SubFactory(GrantRoundFactory)
    order = factory.Sequence(lambda n: n)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    guidance = "How well the application answers this."
    weight = Decimal("100.00")
    descriptors = factory.LazyFunction(lambda: list(DESCRIPTORS))


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft application; pass status=... and reference=... for a submitted one (SubmittedApplicationFactory)."""

    class Meta:
        model = Application

    round = factory.SubFactory(GrantRoundFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    created_by = factory.SubFactory(UserFactory, role="applicant", organisation=factory.SelfAttribute("..organisation"))
    project_title = factory.Sequence(lambda n: f"Test project {n}")
    summary = "Weekly sessions for young people at risk of exploitation."
    amount_requested = Decimal("2000.00")
    beneficiaries_expected = 40
    outcomes = "Fewer young people drawn into crime."
    starts_on = dt.date(2026, 9, 1)
    ends_on = dt.date(2027, 3, 31)


class SubmittedApplicationFactory(ApplicationFactory):
    status = Application.Status.SUBMITTED
    reference = factory.Sequence(lambda n: f"TEST-2026-{n + 1:04d}")
    submitted_at = factory.LazyFunction(timezone.now)
    declaration_name = "Alex Example"
    declaration_role = "Chair of trustees"


class AssessorAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessorAssignment

    application = factory.SubFactory(SubmittedApplicationFactory, status=Application.Status.ELIGIBLE)
    assessor = factory.SubFactory(UserFactory, role="evaluator")
    assigned_by = factory.SubFactory(UserFactory, role="commissioning_manager")


# --- Decisions and awards (issue 5, points 4 and 5) -----------------------------------------------------------

from commissioning.agreements.tests.factories import AgreementFactory as _AgreementFactory  # noqa: E402
from commissioning.agreements.tests.factories import ServiceFactory as _ServiceFactory  # noqa: E402
from commissioning.grants.models import Award, EndOfGrantReport  # noqa: E402
from commissioning.strategy.tests.factories import DecisionRecordFactory as _DecisionRecordFactory  # noqa: E402
from commissioning.strategy.tests.factories import PriorityFactory as _PriorityFactory  # noqa: E402


class RecommendedApplicationFactory(SubmittedApplicationFactory):
    """Recommended by the panel for the amount asked, meeting one plan priority (unless priorities=[...])."""

    class Meta:
        skip_postgeneration_save = True

    status = Application.Status.RECOMMENDED
    reference = factory.Sequence(lambda n: f"CGS-2026-{n + 1:04d}")
    recommended_amount = factory.SelfAttribute("amount_requested")
    recommendation_note = "A strong fit with the plan's priorities."

    @factory.post_generation
    def priorities(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.priorities.set(extracted if extracted is not None else [_PriorityFactory()])


class AwardFactory(factory.django.DjangoModelFactory):
    """An award offered by a PCC decision of 1 June 2025; its report is due on 30 June 2027."""

    class Meta:
        model = Award

    application = factory.SubFactory(RecommendedApplicationFactory, status=Application.Status.AWARDED)
    amount = factory.SelfAttribute("application.recommended_amount")
    purpose = factory.SelfAttribute("application.summary")
    conditions = (
        "1. Spend the grant only on the approved purpose.\n2. Send an end-of-grant report within 3 months of the "
        "project's end date.\n3. Repay any of the grant that is not spent."
    )
    repayment_conditions = (
        "Under section 9(3) of the Police Reform and Social Responsibility Act 2011 the Police and Crime "
        "Commissioner may ask for all or part of the grant to be repaid."
    )
    decision = factory.SubFactory(_DecisionRecordFactory, year=2025)
    awarded_on = factory.SelfAttribute("decision.decided_on")
    status = Award.Status.OFFERED
    report_due_on = dt.date(2027, 6, 30)


class AcceptedAwardFactory(AwardFactory):
    """An accepted award with its grant agreement (built directly, without the commitment services make)."""

    status = Award.Status.ACCEPTED
    accepted_by = factory.SelfAttribute("application.created_by")
    accepted_at = factory.LazyFunction(timezone.now)
    agreement = factory.SubFactory(
        _AgreementFactory,
        service=factory.SubFactory(_ServiceFactory, provider=factory.SelfAttribute("...application.organisation")),
        value=factory.SelfAttribute("..amount"),
    )


class EndOfGrantReportFactory(factory.django.DjangoModelFactory):
    """A complete report, sent to the OPCC."""

    class Meta:
        model = EndOfGrantReport

    award = factory.SubFactory(AcceptedAwardFactory)
    what_was_done = "Ran 30 weekly sessions at the community centre."
    spend_summary = "Venue hire £1,200; sessional worker £800."
    amount_spent = factory.SelfAttribute("award.amount")
    beneficiaries = 42
    outcomes = "Young people said they felt safer and more confident."
    status = EndOfGrantReport.Status.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)


# One-off proposals and the Local Innovation Fund (models named by label, so this part needs no imports of its own).


def _a_priority():
    from commissioning.strategy.tests.factories import PriorityFactory

    return PriorityFactory()


class ApproachFactory(factory.django.DjangoModelFactory):
    """A new approach from a voluntary organisation, logged by a policy officer."""

    class Meta:
        model = "grants.Approach"

    reference = factory.Sequence(lambda n: f"APP-2026-{n + 1:04d}")
    organisation = factory.SubFactory(OrganisationFactory)
    contact_name = "Sam Example"
    contact_email = factory.Sequence(lambda n: f"approach{n}@example.org")
    summary = "Funding for a youth diversion worker"
    business_case = "Young people in the town are being drawn into county lines; a worker would divert them."
    amount_sought = Decimal("15000.00")
    received_on = dt.date(2026, 5, 1)
    logged_by = factory.SubFactory(UserFactory, role="policy_officer")
    status = "new"


class ProposalFormFactory(factory.django.DjangoModelFactory):
    """A Proposal Form for a year from 1 April 2026, with one priority unless given priorities=[...]."""

    class Meta:
        model = "grants.ProposalForm"
        skip_postgeneration_save = True

    approach = factory.SubFactory(ApproachFactory, status="proposal_received")
    service_name = factory.Sequence(lambda n: f"Youth diversion project {n}")
    service_description = "A worker who meets young people referred by the police and schools."
    who_it_is_for = "Young people aged 11 to 17 at risk of exploitation."
    cost_to_pcc = Decimal("15000.00")
    total_cost = Decimal("20000.00")
    starts_on = dt.date(2026, 4, 1)
    ends_on = dt.date(2027, 3, 31)
    outcomes = "Fewer young people drawn into crime."
    kpis = "Young people supported; how many are not arrested within a year."
    partners = "Local schools"
    submitted_by = factory.SubFactory(UserFactory, role="policy_officer")

    @factory.post_generation
    def priorities(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.priorities.set(extracted if extracted is not None else [_a_priority()])


class ProposalAssessmentFactory(factory.django.DjangoModelFactory):
    """A recommendation to fund the full cost from a fund."""

    class Meta:
        model = "grants.ProposalAssessment"

    proposal = factory.SubFactory(ProposalFormFactory, approach__status="assessed")
    fit_with_priorities = 4
    evidence_of_need = 4
    value_for_money = 3
    deliverability = 4
    risks = "A new organisation; a single worker."
    commentary = "A good fit with the plan."
    recommendation = "fund"
    recommended_amount = Decimal("15000.00")
    fund = factory.SubFactory(FundFactory)
    assessed_by = factory.SubFactory(UserFactory, role="commissioning_manager")


class InnovationWeightsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "grants.InnovationWeights"
        django_get_or_create = ("effective_from",)

    effective_from = dt.date(2020, 4, 1)
    likelihood_weight = Decimal("40.00")
    priority_weight = Decimal("30.00")
    need_weight = Decimal("30.00")


class InnovationCandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "grants.InnovationCandidate"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Innovation project {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    description = "A new way of reaching people at risk."
    anticipated_spend = Decimal("10000.00")
    likelihood_score = 3
    priority_score = 3
    need_score = 3
    scored_by = factory.SubFactory(UserFactory, role="policy_officer")
    year = factory.SubFactory(FinancialYearFactory)

    @factory.post_generation
    def priorities(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.priorities.set(extracted if extracted is not None else [_a_priority()])


class PrioritisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "grants.Prioritisation"

    fund = factory.SubFactory(FundFactory)
    year = factory.SubFactory(FinancialYearFactory)
    available = Decimal("50000.00")
    weights = factory.SubFactory(InnovationWeightsFactory)
    prepared_by = factory.SubFactory(UserFactory, role="policy_officer")


class PrioritisationEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "grants.PrioritisationEntry"

    prioritisation = factory.SubFactory(PrioritisationFactory)
    candidate = factory.SubFactory(InnovationCandidateFactory, year=factory.SelfAttribute("..prioritisation.year"))
    weighted_score = Decimal("60.00")
    rank = factory.Sequence(lambda n: n + 1)
    allowance = Decimal("10000.00")


def round_to_decide(
    *,
    finance,
    fund=None,
    fund_budget="10000.00",
    round_budget="6000.00",
    recommended=(("2500.00", None), ("2000.00", None)),
    not_recommended=1,
    start_year=2026,
):
    """A round in assessment with applications the panel has recommended (amount, organisation or None for a new
    one) and `not_recommended` it has not; its fund is given `fund_budget` in the round's year by `finance`."""
    from commissioning.funds.services import budget_set_total

    year = FinancialYearFactory(start_year=start_year)
    fund = fund or FundFactory()
    budget_set_total(actor=finance, fund=fund, year=year, amount=fund_budget, reason="Opening budget")
    round = GrantRoundFactory(
        scheme__fund=fund, fund=fund, year=year, budget=Decimal(round_budget), status=GrantRound.Status.ASSESSING
    )
    for amount, organisation in recommended:
        extra = {"organisation": organisation} if organisation is not None else {}
        RecommendedApplicationFactory(round=round, amount_requested=Decimal(amount), **extra)
    for _ in range(not_recommended):
        RecommendedApplicationFactory(
            round=round, status=Application.Status.NOT_RECOMMENDED, recommended_amount=None, recommendation_note=""
        )
    return round


# --- Applying (rounds and the applicant journey) ---------------------------------------------------------------

PDF_BYTES = b"%PDF-1.4\n% a tiny test document\n"


class OpenRoundFactory(GrantRoundFactory):
    """A published round that opened yesterday and closes in 30 days."""

    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))


class DraftRoundFactory(OpenRoundFactory):
    status = GrantRound.Status.DRAFT


class EligibilityQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "grants.EligibilityQuestion"

    round = factory.SubFactory(OpenRoundFactory)
    order = factory.Sequence(lambda n: n)
    text = "Is your organisation a voluntary or community organisation?"
    required_answer = True
    ineligible_message = "Only voluntary and community organisations can apply to this scheme."


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "grants.ApplicationBudgetLine"

    application = factory.SubFactory(ApplicationFactory)
    order = factory.Sequence(lambda n: n)
    item = "Room hire"
    amount = Decimal("2000.00")


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "grants.Attachment"

    application = factory.SubFactory(ApplicationFactory)
    kind = "constitution"
    file = factory.django.FileField(filename="document.pdf", data=PDF_BYTES)
    original_name = "document.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)
    uploaded_by = factory.SelfAttribute("application.created_by")


def complete_application(application, *, priorities=()):
    """Fill every section of `application` (a factory-made one) so it can be submitted: the organisation's
    address, one budget line equal to the amount requested, the three required files and the priorities
    (a new one unless given)."""
    from commissioning.organisations.tests.factories import PriorityFactory

    organisation = application.organisation
    organisation.address = organisation.address or "1 High Street\nPoole"
    organisation.postcode = organisation.postcode or "BH15 1AA"
    organisation.save()
    BudgetLineFactory(application=application, item="Room hire and materials", amount=application.amount_requested)
    for kind in ("constitution", "accounts", "safeguarding"):
        AttachmentFactory(application=application, kind=kind, original_name=f"{kind}.pdf")
    application.priorities.set(list(priorities) or [PriorityFactory()])
    return application
