"""generate_data: a decade of one county OPCC's activity that keeps every money rule, the same for the same seed.

The county scale is generated once for the whole module (it takes a few seconds) and rolled back at the end;
each test runs inside it and rolls back its own changes.
"""

import datetime as dt
import hashlib
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.test import override_settings

from commissioning.agreements.models import Agreement, CoFunder, Service
from commissioning.core.money import allocate
from commissioning.demo.generate import AGREEMENT_PREFIX, GEN, ORG_PREFIX, SERVICE_PREFIX
from commissioning.funds.models import (
    Budget,
    BudgetLine,
    Commitment,
    Fund,
    Payment,
    Repayment,
    ScheduledPayment,
    StreamAllocation,
    Virement,
)
from commissioning.organisations.models import Organisation
from commissioning.strategy.models import DecisionRecord

COUNTED = ("approved", "committed", "released")
AS_OF = dt.date(2026, 1, 31)  # late in 2025/26: the decade generated is 2016/17 to 2025/26


def generate(*args) -> str:
    out = StringIO()
    with override_settings(OPCC_PROFILE="dorset"):
        call_command("generate_data", "--scale", "county", "--as-of", AS_OF.isoformat(), *args, stdout=out)
    return out.getvalue()


def digest() -> str:
    """A fingerprint of the generated data that leaves out primary keys and creation times."""
    parts = [
        Organisation.objects.filter(code__startswith=ORG_PREFIX).order_by("code").values_list("code", "name", "kind"),
        Service.objects.filter(reference__startswith=SERVICE_PREFIX)
        .order_by("reference")
        .values_list("reference", "name", "approach", "provider__code", "starts_on", "ends_on", "status"),
        Agreement.objects.filter(reference__startswith=AGREEMENT_PREFIX)
        .order_by("reference")
        .values_list("reference", "kind", "regime", "value", "starts_on", "ends_on", "status", "decision__number"),
        Commitment.objects.order_by("agreement__reference", "year__start_year", "fund__code").values_list(
            "agreement__reference", "year__start_year", "fund__code", "amount", "released_amount", "status"
        ),
        Payment.objects.order_by("reference").values_list("reference", "amount", "paid_on"),
        Budget.objects.order_by("fund__code", "year__start_year").values_list(
            "fund__code", "year__start_year", "amount"
        ),
        DecisionRecord.objects.order_by("number").values_list("number", "subject", "amount"),
        # Procurements and the Local Innovation Fund's lists (imported below, with the tests about them).
        ContractAward.objects.order_by("tender__reference").values_list(
            "tender__reference", "bid__organisation__code", "value", "standstill_ends_on", "agreement__reference"
        ),
        Quote.objects.order_by("case__reference", "organisation__code").values_list(
            "case__reference", "organisation__code", "amount", "chosen"
        ),
        PrioritisationEntry.objects.order_by("prioritisation__year__start_year", "rank").values_list(
            "prioritisation__year__start_year", "candidate__title", "weighted_score", "allowance"
        ),
    ]
    text = "\n".join(repr(list(rows)) for rows in parts)
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture(scope="module")
def county(django_db_setup, django_db_blocker):
    """The county scale with seed 1, generated once for the module and rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        output = generate("--seed", "1")
        yield {"output": output, "digest": digest()}
        transaction.set_rollback(True)


def test_prints_one_line_of_counts_and_time(county, db):
    line = county["output"].strip()
    assert "\n" not in line
    assert re.fullmatch(r"generate_data county seed 1: .* in \d+\.\d s\.", line), line
    for name in ("organisations", "services", "agreements", "commitments", "payments", "budget lines"):
        assert re.search(rf"\b\d+ {name}\b", line), name


def test_counts_are_a_county_decade(county, db):
    assert 380 <= Organisation.objects.count() <= 420
    generated = Organisation.objects.filter(code__startswith=ORG_PREFIX)
    assert generated.filter(kind="vcse").count() > generated.filter(kind="provider").count() > 20
    assert all(name.endswith(GEN) for name in generated.values_list("name", flat=True))
    assert Organisation.objects.filter(kind="statutory").count() >= 5  # the profile's partners
    services = Service.objects.filter(reference__startswith=SERVICE_PREFIX)
    assert services.count() == 300
    by_approach = dict(services.values_list("approach").annotate(n=Count("id")))
    assert set(by_approach) == set(Service.Approach.values)
    assert by_approach["community_grant"] == max(by_approach.values())
    agreements_per_service = set(services.annotate(n=Count("agreements")).values_list("n", flat=True))
    assert agreements_per_service <= {1, 2}
    assert set(Commitment.objects.values_list("year__start_year", flat=True)) == set(range(2016, 2026))
    assert 1_500 <= Commitment.objects.count() <= 4_000
    assert 8_000 <= Payment.objects.count() <= 16_000
    assert ScheduledPayment.objects.count() >= Payment.objects.filter(amount__gt=0).count()
    statuses = set(Commitment.objects.values_list("status", flat=True))
    assert {"committed", "approved", "planned", "released"} <= statuses
    assert Commitment.objects.filter(year__start_year__lt=2025, status__in=["approved", "planned"]).count() == 0
    assert Commitment.objects.filter(released_amount__gt=0).exists()
    assert 1 <= Repayment.objects.count() <= 40
    assert Virement.objects.filter(status="approved").exists()
    assert StreamAllocation.objects.filter(stream__source="moj_victims").count() == 10


def test_services_have_priorities_panel_areas_and_co_funders(county, db):
    services = Service.objects.filter(reference__startswith=SERVICE_PREFIX)
    assert set(services.annotate(n=Count("priorities")).values_list("n", flat=True)) <= {1, 2, 3}
    assert set(services.annotate(n=Count("panel_areas")).values_list("n", flat=True)) <= {1, 2}
    co_commissioned = services.filter(approach="co_commissioned").annotate(n=Count("co_funders"))
    assert set(co_commissioned.values_list("n", flat=True)) <= {1, 2, 3}
    assert CoFunder.objects.filter(service__approach="co_commissioned", organisation__kind="statutory").exists()
    assert not CoFunder.objects.exclude(service__approach="co_commissioned").exists()
    assert all(amount > 0 for amount in CoFunder.objects.values_list("amount", flat=True))


def test_live_commitments_never_exceed_the_budget(county, db):
    budgets = {(b.fund_id, b.year_id): b.amount for b in Budget.objects.all()}
    live = Commitment.objects.values("fund_id", "year_id").annotate(
        counted=Sum(F("amount") - F("released_amount"), filter=Q(status__in=COUNTED)),
        spending=Sum(F("amount") - F("released_amount"), filter=Q(status__in=["approved", "committed"])),
        everything=Sum(F("amount") - F("released_amount")),  # planned ones too
    )
    assert len(live) >= 50
    for row in live:
        budget = budgets[(row["fund_id"], row["year_id"])]
        assert (row["spending"] or 0) <= (row["counted"] or 0) <= row["everything"] <= budget, row


def test_budgets_add_up_and_the_victims_fund_is_split_93_7(county, db):
    for budget in Budget.objects.annotate(lines_total=Sum("lines__amount")):
        assert budget.amount == budget.lines_total, budget
    victims = Fund.objects.get(code="victims-fund")
    for allocation in StreamAllocation.objects.filter(stream__source="moj_victims"):
        lines = BudgetLine.objects.filter(stream=allocation.stream, budget__year=allocation.year, kind="split")
        shares = dict(lines.values_list("budget__fund__code", "amount"))
        core, csa = allocate(allocation.amount, [93, 7])
        assert shares == {"core-victims-fund": core, "victims-csa": csa}
    assert not Budget.objects.filter(fund=victims).exists()  # its money sits in its two parts


def test_payments_never_exceed_the_live_commitment(county, db):
    commitments = Commitment.objects.annotate(paid=Sum("payments__amount"))
    for commitment in commitments.filter(paid__isnull=False):
        assert commitment.paid <= commitment.amount - commitment.released_amount, commitment.pk
    assert not Payment.objects.filter(commitment__status="planned").exists()
    references = list(Payment.objects.values_list("reference", flat=True))
    assert len(references) == len(set(references))
    assert all(re.fullmatch(r"(PAY|REP)-\d{4}-\d{6}", reference) for reference in references)
    assert Payment.objects.filter(amount__lt=0).count() == Repayment.objects.filter(status="received").count()
    paid_rows = ScheduledPayment.objects.filter(status="paid")
    assert paid_rows.count() == Payment.objects.filter(scheduled__isnull=False).count()
    assert not paid_rows.filter(payment__isnull=True).exists()
    assert Payment.objects.filter(paid_on__gt=AS_OF).count() == 0


def test_money_is_pence_exact(county, db):
    for model, fields in (
        (Commitment, ("amount", "released_amount")),
        (Payment, ("amount",)),
        (BudgetLine, ("amount",)),
        (Agreement, ("value",)),
    ):
        for values in model.objects.values_list(*fields)[:2000]:
            for value in values:
                assert isinstance(value, Decimal) and value == value.quantize(Decimal("0.01"))


def test_community_grants_are_100_to_3000_pounds(county, db):
    grants = Agreement.objects.filter(service__approach="community_grant")
    assert grants.count() >= 50
    assert set(grants.values_list("kind", "regime").distinct()) == {("grant", "grant")}
    assert not grants.filter(Q(value__lt=100) | Q(value__gt=3000)).exists()
    amounts = Commitment.objects.filter(agreement__in=grants).values_list("amount", flat=True)
    assert amounts and all(Decimal(100) <= amount <= Decimal(3000) for amount in amounts)
    assert set(Commitment.objects.filter(agreement__in=grants).values_list("fund__code", flat=True)) == {
        "police-property-act-fund"
    }


def test_regimes_follow_the_kind_and_the_procurement_act_date(county, db):
    agreements = Agreement.objects.filter(reference__startswith=AGREEMENT_PREFIX)
    act_from = dt.date(2025, 2, 24)
    contracts = agreements.filter(kind="contract")
    assert contracts.filter(starts_on__gte=act_from).exists()
    assert set(contracts.filter(starts_on__gte=act_from).values_list("regime", flat=True)) == {"pa_2023"}
    assert set(contracts.filter(starts_on__lt=act_from).values_list("regime", flat=True)) == {"pcr_2015"}
    assert set(agreements.filter(kind="grant").values_list("regime", flat=True)) == {"grant"}
    assert set(agreements.filter(kind__in=["sla", "partnership"]).values_list("regime", flat=True)) == {"none"}
    long_running = agreements.exclude(service__approach__in=["community_grant", "one_off_grant"])
    assert not long_running.filter(value__lt=20_000).exists()


def test_ring_fenced_money_pays_only_services_of_its_purpose(county, db):
    csa = Fund.objects.get(code="victims-csa")
    paid_from_csa = Commitment.objects.filter(fund=csa)
    assert paid_from_csa.exists()
    assert not paid_from_csa.exclude(agreement__service__ring_fences=csa).exists()


def test_decisions_are_numbered_and_linked(county, db):
    decisions = DecisionRecord.objects.filter(subject__endswith=GEN)
    assert decisions.count() >= 10
    for number, year, sequence in decisions.values_list("number", "year", "sequence"):
        assert number == f"{year}/{sequence:03d}"
    assert Agreement.objects.filter(decision__in=decisions).count() >= decisions.count()
    assert decisions.filter(subject__startswith="Community Grant Scheme awards").count() == 10


def test_second_run_is_refused_and_replace_gives_the_same_data(county, db):
    before = Organisation.objects.exclude(code__startswith=ORG_PREFIX).count()
    with pytest.raises(CommandError, match=r"generated data already present; use --replace"):
        generate("--seed", "1")
    output = generate("--seed", "1", "--replace")
    assert "replaced" in output
    assert digest() == county["digest"]  # same seed, same data
    assert Organisation.objects.exclude(code__startswith=ORG_PREFIX).count() == before  # the profile's are kept
    generate("--seed", "2", "--replace")
    assert digest() != county["digest"]
    assert Service.objects.filter(reference__startswith=SERVICE_PREFIX).count() == 300


# --- The data is true to itself (issue 8, point 6) ------------------------------------------------------------

from commissioning.demo.tests import consistency  # noqa: E402
from commissioning.grants.models import Application, Award, GrantRound  # noqa: E402


def test_co_funders_never_pay_more_than_the_agreements_are_worth(county, db):
    assert CoFunder.objects.exists()
    assert consistency.services_co_funded_beyond_their_agreements() == []


def test_every_year_of_a_running_agreement_is_committed(county, db):
    assert consistency.running_agreement_years_without_commitment(current_start_year=2025) == []


def test_payments_fall_in_their_commitments_year_and_after_the_agreement_starts(county, db):
    assert consistency.payments_out_of_year_or_before_the_agreement() == []


def test_no_grant_payment_is_scheduled_before_its_decision(county, db):
    assert consistency.grant_payments_due_before_their_decision() == []


def test_commitments_are_approved_by_someone_other_than_their_planner(county, db):
    assert consistency.commitments_approved_by_their_planner() == []


def test_every_year_has_a_decided_grant_round_with_awards(county, db):
    rounds = GrantRound.objects.filter(name__endswith=GEN)
    assert set(rounds.values_list("year__start_year", flat=True)) == set(range(2016, 2026))
    assert not rounds.exclude(status=GrantRound.Status.DECIDED).exists()
    assert not rounds.filter(decision__isnull=True).exists()
    community_grants = Agreement.objects.filter(
        reference__startswith=AGREEMENT_PREFIX, service__approach=Service.Approach.COMMUNITY_GRANT
    )
    awards = Award.objects.filter(agreement__in=community_grants)
    assert awards.count() == community_grants.count()  # every community grant came from an award
    for award in awards.select_related("application__round", "agreement"):
        assert award.application.status == Application.Status.AWARDED
        assert award.decision_id == award.application.round.decision_id == award.agreement.decision_id
        assert award.amount == award.agreement.value
    assert Application.objects.filter(round__in=rounds, status=Application.Status.DECLINED).exists()
    # One application per organisation per round.
    pairs = list(Application.objects.filter(round__in=rounds).values_list("round_id", "organisation_id"))
    assert len(pairs) == len(set(pairs))


def test_the_decade_ends_in_the_current_financial_year_by_default(county, db):
    from commissioning.demo.generate.common import CAL

    today = dt.date(2031, 7, 9)
    CAL.set(today)
    assert (CAL.first_year, CAL.last_year, CAL.as_of) == (2022, 2031, today)
    CAL.set(dt.date(2032, 3, 31))
    assert CAL.last_year == 2031
    CAL.set(AS_OF)


def test_every_generated_service_that_has_delivered_has_its_returns_with_figures(county, db):
    from commissioning.monitoring.models import (
        CaseStudy,
        FeedbackRecord,
        KpiReturn,
        ReturnStatus,
        ReturnValue,
        ReturnVersion,
        ServiceKpi,
    )

    services = Service.objects.filter(reference__startswith=SERVICE_PREFIX).exclude(status="planned")
    assert not services.filter(kpi_returns__isnull=True, starts_on__lt=dt.date(2025, 10, 1)).exists()
    returns = KpiReturn.objects.filter(service__in=services)
    assert 3_000 <= returns.count() <= 7_000
    assert set(returns.values_list("status", flat=True)) == set(ReturnStatus.values)
    assert returns.filter(status=ReturnStatus.ACCEPTED).count() > 0.85 * returns.count()
    assert ReturnValue.objects.count() >= 50_000  # forty county shares make well over a million
    # Breakdowns that must add up to their total do.
    sums = (
        ReturnValue.objects.exclude(category="")
        .filter(kpi__definition__adds_up=True)
        .values("version_id", "kpi_id")
        .annotate(parts=Sum("value"))
    )
    total_of = {
        (v, k): value
        for v, k, value in ReturnValue.objects.filter(category="").values_list("version_id", "kpi_id", "value")
    }
    assert sums.count() > 1_000
    assert all(row["parts"] == total_of[(row["version_id"], row["kpi_id"])] for row in sums)
    assert not ReturnVersion.objects.filter(kpi_return__status=ReturnStatus.DUE).exists()
    assert ReturnVersion.objects.filter(number=2).exists()
    victims = ServiceKpi.objects.filter(service__in=services, definition__code="victims-supported")
    assert victims.exists() and not victims.filter(required_by__isnull=True).exists()
    assert CaseStudy.objects.filter(consented_for_publication=True).exists()
    assert FeedbackRecord.objects.filter(service__in=services).exists()


# --- Procurements and the Local Innovation Fund (issues 10 and 12) --------------------------------------------

from commissioning.accounts.models import User  # noqa: E402
from commissioning.funds import selectors as fund_selectors  # noqa: E402
from commissioning.grants.models import Prioritisation, PrioritisationEntry  # noqa: E402
from commissioning.grants.services.innovation import allocate as allocate_allowances  # noqa: E402
from commissioning.procurement.models import (  # noqa: E402
    AwardLetter,
    Bid,
    BidEnvelope,
    BidModeration,
    BidOpening,
    BidResult,
    CommissioningCase,
    ContractAward,
    Quote,
    Tender,
)
from commissioning.procurement.selectors.bids import BidSealed, bid_envelope_for  # noqa: E402
from commissioning.procurement.standstill import standstill_ends  # noqa: E402


def test_past_open_tenders_run_to_a_contract_in_the_register(county, db):
    cases = CommissioningCase.objects.filter(title__endswith=GEN)
    past = cases.filter(procurement_starts_on__lt=dt.date(2025, 4, 1))
    tendered = past.filter(route="open")
    assert tendered.count() >= 12 and not tendered.exclude(stage="contracted").exists()
    awards = ContractAward.objects.filter(tender__case__in=tendered).select_related(
        "tender__case", "bid__envelope", "decision", "agreement__service"
    )
    assert awards.count() == tendered.count()  # one tender each, every one awarded and contracted
    for award in awards:
        tender, case, agreement = award.tender, award.tender.case, award.agreement
        criteria = list(tender.criteria.all())
        top = [c for c in criteria if c.parent_id is None]
        assert sum(c.weight for c in top) == 100
        for parent in top:
            subs = [c.weight for c in criteria if c.parent_id == parent.pk]
            assert not subs or sum(subs) == parent.weight
        assert sum(c.kind == "price" for c in top) == 1
        bids = list(tender.bids.filter(status=Bid.Status.SUBMITTED))
        assert 2 <= len(bids) <= 4
        assert all(bid.submitted_at < tender.deadline for bid in bids)
        opening = tender.opening
        assert tender.status == "opened" and opening.started_at >= tender.deadline
        assert opening.confirmed_by_id != opening.started_by_id and opening.bids_received == len(bids)
        results = list(BidResult.objects.filter(bid__in=bids).order_by("rank"))
        assert [r.rank for r in results] == list(range(1, len(bids) + 1))
        assert results[0].bid_id == award.bid_id == tender.evaluation.recommended_bid_id  # one winning bid
        assert BidModeration.objects.filter(bid__in=bids).count() == len(bids)
        assert all(bid.assignments.count() == 2 for bid in bids)
        assert award.value == award.bid.envelope.price == results[0].price  # the award is the winning price
        assert award.status == "contracted" and award.regime == case.regime == agreement.regime
        assert award.decision.decided_on < award.award_notice_published_on
        assert award.standstill_ends_on == standstill_ends(
            regime=award.regime, notice_on=award.award_notice_published_on
        )
        assert award.decision.decided_on < award.standstill_ends_on < award.contract_signed_on
        # The contract is the generated agreement in the register, not a second one.
        assert agreement.reference.startswith(AGREEMENT_PREFIX) and agreement.kind == "contract"
        assert agreement.service.provider_id == award.bid.organisation_id
        assert agreement.value == award.value and agreement.decision_id == award.decision_id
        assert agreement.signed_on == award.contract_signed_on < agreement.starts_on == award.starts_on
        letters = AwardLetter.objects.filter(award=award)
        assert letters.count() == len(bids) and letters.filter(successful=True).get().bid_id == award.bid_id
    assert ContractAward.objects.values("agreement").distinct().count() == awards.count()


def test_quotes_cases_choose_one_quote_and_the_current_tender_stays_sealed(county, db):
    cases = CommissioningCase.objects.filter(title__endswith=GEN)
    quoted = cases.filter(route="quotes")
    assert quoted.count() >= 5
    for case in quoted:
        assert case.quotes.count() == 3 and case.quotes.filter(chosen=True).count() == 1
        chosen = case.quotes.get(chosen=True)
        assert chosen.amount == min(q.amount for q in case.quotes.all())
    assert Quote.objects.filter(case__in=cases).exclude(case__route="quotes").count() == 0
    assert cases.filter(stage="closed", route="").exists()
    current = Tender.objects.filter(case__in=cases, status="published")
    assert current.count() == 1
    tender = current.get()
    assert tender.deadline.date() > AS_OF and not BidOpening.objects.filter(tender=tender).exists()
    bids = list(tender.bids.filter(status=Bid.Status.SUBMITTED))
    assert bids and BidEnvelope.objects.filter(bid__in=bids, price__isnull=False).count() == len(bids)
    auditor = User.objects.filter(role="auditor", email__endswith="@generated.opcc.invalid").first()
    with pytest.raises(BidSealed):  # sealed to everyone until two officers open the bids after the deadline
        bid_envelope_for(user=auditor, bid=bids[0])
    assert not ContractAward.objects.filter(tender=tender).exists()


def test_innovation_allowances_each_year_fit_the_fund(county, db):
    lists = Prioritisation.objects.filter(fund__code="local-innovation-fund", status="approved")
    # The profile's weights apply from April 2017, so 2016/17 has no list.
    assert set(lists.values_list("year__start_year", flat=True)) == set(range(2017, 2026))
    for prioritisation in lists.select_related("fund", "year"):
        entries = list(PrioritisationEntry.objects.filter(prioritisation=prioritisation).order_by("rank"))
        assert 4 <= len(entries) <= 6 and [e.rank for e in entries] == list(range(1, len(entries) + 1))
        spends = [e.candidate.anticipated_spend for e in entries]
        allowances = [e.allowance for e in entries]
        assert allowances == allocate_allowances(
            spends=spends, fixed=[None] * len(entries), available=prioritisation.available
        )
        assert sum(a > 0 for a in allowances) >= 2
        # Within what the fund had left after its commitments, as prioritisation_approve checks (the list counts
        # planned commitments too, and money released later in the year only adds to what is left).
        position = fund_selectors.fund_position(fund=prioritisation.fund, year=prioritisation.year)
        assert sum(allowances) <= prioritisation.available <= position.own_available
