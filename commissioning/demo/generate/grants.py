"""The Community Grant Scheme's decided rounds for every year generated (bulk, like the rest of generate_data).

Each year's community grants (the services whose agreement is paid in advance from the Police Property Act
Fund) came from a round that opened in April and was decided by the year's PCC decision: each grant has its
awarded application and its award, linked to the agreement; a few applications to each round were not funded.
Awards of past years are complete, with a signed-off end-of-grant report; this year's are accepted.
An organisation applies once to a round: an organisation with two grants in a year had them from two rounds.
"""

import datetime as dt
from typing import TYPE_CHECKING

from commissioning.accounts.roles import Role
from commissioning.demo.generate.common import BATCH, CAL, GEN, at_ten, fy_label, money
from commissioning.grants.models import Application, Award, EndOfGrantReport, GrantRound, GrantScheme

if TYPE_CHECKING:
    from commissioning.demo.generate.builder import Builder

SCHEME_CODE = "community-grant-scheme"
REFERENCE_PREFIX = "GEN-CGS-"
CONDITIONS = (
    "1. Spend the grant only on the approved purpose.\n2. Send an end-of-grant report within 3 months of the "
    "project's end date.\n3. Repay any of the grant that is not spent."
)
REPAYMENT = (
    "Under section 9(3) of the Police Reform and Social Responsibility Act 2011 the Police and Crime Commissioner "
    "may ask for all or part of the grant to be repaid."
)


def write_rounds(b: "Builder", plans) -> None:
    scheme = GrantScheme.objects.filter(code=SCHEME_CODE).select_related("fund").first()
    terms = scheme.terms_versions.order_by("effective_from").first() if scheme else None
    if scheme is None or terms is None:
        return  # another OPCC's profile without the Community Grant Scheme: nothing to hang the rounds on
    grants = {}  # year -> [(service plan, agreement plan)]
    for plan in plans:
        for agreement in plan.agreements:
            if agreement.terms == "advance" and agreement.decision is not None and agreement.row is not None:
                year = agreement.starts_on.year if agreement.starts_on.month >= 4 else agreement.starts_on.year - 1
                grants.setdefault(year, []).append((plan, agreement))
    applicant = b.people[Role.APPLICANT][0]
    rounds, applications, awards, reports = [], [], [], []
    for year in sorted(grants):
        rows = grants[year]
        decision = rows[0][1].decision.row
        year_rounds: list[tuple[GrantRound, set]] = []

        def round_for(organisation_id, year=year, decision=decision, year_rounds=year_rounds):
            for grant_round, taken in year_rounds:
                if organisation_id not in taken:
                    taken.add(organisation_id)
                    return grant_round
            number = len(year_rounds) + 1
            grant_round = GrantRound(
                scheme=scheme,
                name=f"Community Grant Scheme {fy_label(year)}{b.tag}, round {number}{GEN}",
                opens_at=at_ten(dt.date(year, 4, 1)),
                closes_at=at_ten(dt.date(year, 4, 25)),
                budget=0,
                fund=scheme.fund,
                year=b.year_rows[year],
                terms=terms,
                guidance="Grants of £100 to £3,000 for community projects (generated benchmark data).",
                status=GrantRound.Status.DECIDED,
                decision=decision,
            )
            year_rounds.append((grant_round, {organisation_id}))
            rounds.append(grant_round)
            return grant_round

        funded = []
        for plan, agreement in rows:
            grant_round = round_for(plan.provider.pk)
            amount = money(agreement.annual)
            grant_round.budget += amount
            funded.append((plan, agreement, grant_round, amount))
        # A few applications to each year's rounds were not funded.
        taken = {org for _, orgs in year_rounds for org in orgs}
        others = [o for o in b.vcse if o.pk not in taken]
        unfunded = b.rng.sample(others, min(len(others), max(1, len(rows) // 3)))
        for organisation in unfunded:
            grant_round = round_for(organisation.pk)
            applications.append(application(b, grant_round, organisation, applicant, year, None, decision))
        for plan, agreement, grant_round, amount in funded:
            row = application(b, grant_round, plan.provider, applicant, year, (plan, agreement, amount), decision)
            applications.append(row)
            past = year < CAL.last_year
            award = Award(
                application=row,
                amount=amount,
                purpose=row.summary,
                conditions=CONDITIONS,
                repayment_conditions=REPAYMENT,
                decision=decision,
                awarded_on=decision.decided_on,
                status=Award.Status.COMPLETED if past else Award.Status.ACCEPTED,
                accepted_by=applicant,
                accepted_at=at_ten(decision.decided_on + dt.timedelta(days=b.rng.randint(3, 12))),
                agreement=agreement.row,
                report_due_on=agreement.ends_on.replace(day=1) + dt.timedelta(days=92),
            )
            awards.append(award)
            if past and award.report_due_on < CAL.as_of:
                reports.append(
                    EndOfGrantReport(
                        award=award,
                        what_was_done="Ran the project as planned (generated benchmark data).",
                        spend_summary="As in the budget.",
                        amount_spent=amount,
                        beneficiaries=b.rng.randint(12, 120),
                        outcomes="Those who took part said they felt safer (invented).",
                        status=EndOfGrantReport.Status.SIGNED_OFF,
                        submitted_at=at_ten(agreement.ends_on + dt.timedelta(days=20)),
                        signed_off_by=b.pick(b.officers),
                        signed_off_at=at_ten(agreement.ends_on + dt.timedelta(days=35)),
                    )
                )
    GrantRound.objects.bulk_create(rounds, batch_size=BATCH)
    for row in applications:
        row.round = row.round  # the round's primary key, now it has one
    Application.objects.bulk_create(applications, batch_size=BATCH)
    links = []
    for row in applications:
        links += [Application.priorities.through(application_id=row.pk, priority_id=p.pk) for p in row._priorities]
    Application.priorities.through.objects.bulk_create(links, batch_size=BATCH)
    for award in awards:
        award.application = award.application
    Award.objects.bulk_create(awards, batch_size=BATCH)
    for report in reports:
        report.award = report.award
    EndOfGrantReport.objects.bulk_create(reports, batch_size=BATCH)
    b.counts["grant rounds"] += len(rounds)
    b.counts["applications"] += len(applications)
    b.counts["awards"] += len(awards)


def application(b: "Builder", grant_round, organisation, applicant, year, funded, decision) -> Application:
    b.application_number += 1
    submitted = at_ten(dt.date(year, 4, 3) + dt.timedelta(days=b.rng.randint(0, 20)))
    if funded:
        plan, agreement, amount = funded
        title, starts_on, ends_on, priorities = (
            plan.name.removesuffix(GEN),
            agreement.starts_on,
            agreement.ends_on,
            (plan.priorities),
        )
        status, recommended = Application.Status.AWARDED, amount
    else:
        amount = money(b.rng.randrange(500, 3001, 50) * 100)
        title = f"Community project – {organisation.name.removesuffix(GEN)}"
        starts_on, ends_on = dt.date(year, 7, 1), dt.date(year + 1, 3, 31)
        priorities = list(b.priorities.values())[:1]
        status, recommended = Application.Status.DECLINED, None
    row = Application(
        round=grant_round,
        organisation=organisation,
        created_by=applicant,
        reference=f"{REFERENCE_PREFIX}{year}-{b.application_number:05d}",
        status=status,
        project_title=title[:200],
        summary=f"{title[:150]} (generated benchmark data).",
        amount_requested=amount,
        beneficiaries_expected=b.rng.randint(15, 150),
        outcomes="Fewer people drawn into crime; people feel safer (invented).",
        starts_on=starts_on,
        ends_on=ends_on,
        declaration_name="Chair of trustees",
        declaration_role="Chair",
        submitted_at=submitted,
        recommended_amount=recommended,
        recommendation_note="" if funded else "Scored below the pass mark at the panel.",
        decision=decision,
    )
    row._priorities = priorities
    return row
