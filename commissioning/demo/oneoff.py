"""One-off grants and the Local Innovation Fund in the demo (called by cycle.GrantsStory.run): approaches at every
stage (new, closed, invited, proposal received, assessed and waiting for the PCC, approved, not approved) and this
year's ranking of innovation candidates, made through the grants services on the days they happened."""

import datetime as dt

from commissioning.demo.clock import clock_at, moment
from commissioning.funds import services as fund_services
from commissioning.funds.models import Fund
from commissioning.grants.models import Approach, InnovationCandidate, Prioritisation
from commissioning.grants.services import innovation
from commissioning.grants.services.proposals import approaches as approach_services
from commissioning.grants.services.proposals import decision as proposal_services
from commissioning.organisations.models import Organisation

# One-off grants --------------------------------------------------------------------------------------


def proposals(story) -> None:
    """One-off grant approaches at every stage, on the days each step happened."""
    if Approach.objects.filter(summary__endswith="(demo)").exists():
        story.summary.counts["unchanged"] += 1
        return
    stages = (
        ("demo-harbourside-womens-aid", "Refuge outreach in rural areas (demo)", "new"),
        ("demo-portland-boxing-club", "Boxing gym refurbishment (demo)", "closed"),
        ("demo-blandford-community-larder", "Food and advice hub (demo)", "invited"),
        ("demo-purbeck-youth-mentoring", "Mentoring for young people leaving care (demo)", "proposal_received"),
        ("demo-wessex-restorative", "Restorative conferencing in schools (demo)", "assessed"),
        ("demo-harbourside-womens-aid", "Independent domestic violence adviser for the coast (demo)", "approved"),
        ("demo-sherborne-neighbourhood-watch", "Rural crime cameras (demo)", "rejected"),
    )
    order = ("new", "closed", "invited", "proposal_received", "assessed", "approved", "rejected")
    year = story.fund_year(story.year)
    fund = Fund.objects.filter(code="local-innovation-fund").first() or story.scheme.fund
    fy_end = dt.date(story.year + 1, 3, 31)
    # Late in the year the story is told a little earlier, so an approved grant still runs for months in it.
    base = min(story.today, fy_end - dt.timedelta(days=90))
    with clock_at(base - dt.timedelta(days=70)):
        fund_services.budget_set_total(
            actor=story.finance,
            fund=fund,
            year=year,
            amount="60000.00",
            reason="PCC reserves for new projects (demo)",
        )
    for number, (code, summary, stage) in enumerate(stages):
        day = base - dt.timedelta(days=60 - 3 * number)
        organisation = Organisation.objects.get(code=code)
        with clock_at(moment(day)):
            approach = approach_services.approach_log(
                actor=story.officer,
                summary=summary,
                business_case="An invented case for funding: the need, who it helps and what it would cost.",
                received_on=day,
                organisation=organisation,
                contact_name="Chief Executive",
                contact_email=f"ceo@{code}.demo.opcc.invalid",
                amount_sought="12000.00",
            )
            if stage == "new":
                continue
            if stage == "closed":
                approach_services.approach_close(
                    actor=story.manager, approach=approach, note="Capital works are not funded by the PCC."
                )
                continue
            approach_services.approach_invite(
                actor=story.manager, approach=approach, note="Tell us the outcomes and how you will measure them."
            )
        if order.index(stage) < order.index("proposal_received"):
            continue
        starts_on = base + dt.timedelta(days=30)
        with clock_at(moment(day + dt.timedelta(days=10))):
            approach_services.proposal_submit(
                actor=story.officer,
                approach=approach,
                service_name=summary.removesuffix(" (demo)"),
                service_description="An invented service described in the organisation's Proposal Form.",
                who_it_is_for="People in the county affected by crime (invented).",
                cost_to_pcc="12000.00",
                total_cost="15000.00",
                starts_on=starts_on,
                ends_on=fy_end,
                outcomes="Fewer people harmed; more people supported to recover.",
                kpis="People supported each quarter; how many say they feel safer.",
                priorities=story.priorities[:1],
            )
        if stage == "proposal_received":
            continue
        with clock_at(moment(day + dt.timedelta(days=14))):
            proposal_services.proposal_assess(
                actor=story.manager,
                approach=approach,
                fit_with_priorities=4,
                evidence_of_need=4 if stage != "rejected" else 2,
                value_for_money=3,
                deliverability=4,
                risks="A small team; one worker.",
                commentary="A good fit with the plan (demo assessment).",
                recommendation="fund",
                recommended_amount="12000.00",
                fund=fund,
            )
        if stage == "assessed":
            continue  # waiting for the PCC
        decided_on = day + dt.timedelta(days=18)
        with clock_at(moment(decided_on, 15)):
            proposal_services.proposal_decide(
                actor=story.pcc,
                approach=approach,
                approve=stage == "approved",
                smt_consulted=True,
                reasons="Considered with the Senior Management Team (demo).",
                decided_on=decided_on,
                amount="12000.00",
                fund=fund,
                year=year,
            )
    story.summary.counts["created"] += 1


# The Local Innovation Fund -----------------------------------------------------------------------------


def innovation_ranking(story) -> None:
    """This year's Local Innovation Fund candidates, ranked, waiting for approval."""
    fund = Fund.objects.filter(code="local-innovation-fund").first()
    year = story.fund_year(story.year)
    if fund is None or Prioritisation.objects.filter(fund=fund, year=year).exists():
        story.summary.counts["unchanged"] += 1
        return
    candidates = (
        ("Knife crime education in schools (demo)", "demo-purbeck-youth-mentoring", "9000.00", (4, 5, 4)),
        ("Street pastors for the night-time economy (demo)", "demo-wessex-restorative", "14000.00", (3, 4, 3)),
        ("Online safety workshops for parents (demo)", "demo-harbourside-womens-aid", "6000.00", (5, 3, 4)),
        ("Rural crime volunteer network (demo)", "demo-sherborne-neighbourhood-watch", "40000.00", (2, 3, 2)),
    )
    with clock_at(story.today - dt.timedelta(days=8)):
        for title, code, spend, (likelihood, priority, need) in candidates:
            if InnovationCandidate.objects.filter(title=title).exists():
                continue
            innovation.candidate_create(
                actor=story.officer,
                title=title,
                organisation=Organisation.objects.get(code=code),
                description="An invented project put forward for the Local Innovation Fund.",
                anticipated_spend=spend,
                likelihood_score=likelihood,
                priority_score=priority,
                need_score=need,
                priorities=story.priorities[:1],
                year=year,
            )
        innovation.prioritisation_create(actor=story.officer, fund=fund, year=year)
    story.summary.counts["created"] += 1


def innovation_last_year(story) -> None:
    """Last year's Local Innovation Fund list, approved by the CFO: its allowances are grants made, published on
    the transparency pages and in the 360Giving data."""
    fund = Fund.objects.filter(code="local-innovation-fund").first()
    start = story.year - 1
    year = story.fund_year(start)
    if fund is None or Prioritisation.objects.filter(fund=fund, year=year).exists():
        story.summary.counts["unchanged"] += 1
        return
    candidates = (
        ("Safer streets app for reporting hate crime (demo)", "demo-harbourside-womens-aid", "8000.00", (4, 4, 4)),
        ("Restorative circles in youth clubs (demo)", "demo-wessex-restorative", "12000.00", (4, 3, 5)),
    )
    with clock_at(dt.date(start, 5, 12)):
        for title, code, spend, (likelihood, priority, need) in candidates:
            if InnovationCandidate.objects.filter(title=title).exists():
                continue
            innovation.candidate_create(
                actor=story.officer,
                title=title,
                organisation=Organisation.objects.get(code=code),
                description="An invented project funded from the Local Innovation Fund.",
                anticipated_spend=spend,
                likelihood_score=likelihood,
                priority_score=priority,
                need_score=need,
                priorities=story.priorities[:1],
                year=year,
            )
        prioritisation = innovation.prioritisation_create(actor=story.officer, fund=fund, year=year)
    with clock_at(dt.date(start, 5, 20)):
        innovation.prioritisation_approve(actor=story.cfo, prioritisation=prioritisation)
    story.summary.counts["created"] += 1
