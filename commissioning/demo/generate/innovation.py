"""The Local Innovation Fund's prioritisations for every year generated (issue 5, point 7; issue 12: its allowances
are grants made, in the 360Giving export), in bulk like the rest of generate_data.

Each year a few projects from generated voluntary organisations are put forward in May and scored 0 to 5 on the
three factors; the list is ranked with the weights in effect that day (the profile's, from their date: a year
before any weights has no list) and the CFO approves it a week or two later (this year's stays a draft if that
day has not come). The arithmetic is the service's own (grants.services.innovation: weighted_score, rank,
allocate), so the allowances are what the app would have given.

The money is consistent with the funds generated: plan_allowances runs before the budgets are set and adds the
anticipated spend of the projects the list is expected to fund to the fund's demand for the year, so the budget
the pre-year review sets leaves room for them; allocation.py records the room left after the fund's commitments
(its own available money, as prioritisation_create reads it), and the list allocates exactly that, down the
ranking. Only the first county-sized share has lists: a fund has one prioritisation a year, and at national scale
the forty shares share the funds. A year that already has a list (the demo's) is left alone.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from commissioning.accounts.roles import Role
from commissioning.core.money import format_money
from commissioning.core.services import attribute_all, bulk_insert, insert_history
from commissioning.demo.generate.common import CAL, GEN, INNOVATION, POUND, at_ten, fy_label, money
from commissioning.grants.models import InnovationCandidate, InnovationWeights, Prioritisation, PrioritisationEntry
from commissioning.grants.services.innovation import Ranked, allocate, rank, weighted_score

if TYPE_CHECKING:
    from commissioning.demo.generate.builder import Builder

PROJECTS = (
    "Knife crime education in schools",
    "Street pastors for the night-time economy",
    "Online safety workshops for parents",
    "Rural crime volunteer network",
    "Hate crime reporting app",
    "Restorative circles in youth clubs",
    "Safe spaces for women at night",
    "Scam awareness for older people",
    "Mentoring for young people excluded from school",
    "Doorstep crime rapid response",
)


@dataclass
class Candidate:
    title: str
    organisation: object
    spend: int  # pence
    scores: tuple[int, int, int]  # likelihood, priority, need
    priorities: list
    score: Decimal = Decimal(0)


@dataclass
class YearList:
    year: int
    weights: InnovationWeights
    prepared: dt.date
    approved: dt.date | None  # None: still a draft on the day generated
    candidates: list  # in ranking order
    saving_order: list  # as put forward (the ranking's last tie-break)
    wanted: int  # pence: the spend of the projects the list is expected to fund
    available: int = 0  # pence: the fund's room after its commitments, set by allocation.plan_commitments
    allowances: list = field(default_factory=list)


def plan_allowances(b: "Builder") -> None:
    """The year's candidates and their ranking, before the budgets are set (b.innovation, by year)."""
    b.innovation = {}
    if b.copy != 0:
        return
    fund = b.funds[INNOVATION]
    listed = set(Prioritisation.objects.filter(fund=fund).values_list("year__start_year", flat=True))
    weights = list(InnovationWeights.objects.order_by("effective_from"))
    priorities = list(b.priorities.values())
    for year in range(CAL.first_year, CAL.last_year + 1):
        prepared = dt.date(year, 5, b.rng.randint(5, 20))
        in_effect = [w for w in weights if w.effective_from <= prepared]
        if year in listed or prepared > CAL.as_of or not in_effect:
            continue
        approved = prepared + dt.timedelta(days=b.rng.randint(5, 20))
        count = b.rng.randint(4, 6)
        candidates = [
            Candidate(
                title=f"{title} ({fy_label(year)}){GEN}",
                organisation=organisation,
                spend=b.rng.randrange(3_000, 40_001, 500) * POUND,
                scores=(b.rng.randint(1, 5), b.rng.randint(1, 5), b.rng.randint(0, 5)),
                priorities=b.rng.sample(priorities, min(len(priorities), b.rng.randint(1, 2))),
            )
            for title, organisation in zip(b.rng.sample(PROJECTS, count), b.rng.sample(b.vcse, count), strict=True)
        ]
        for candidate in candidates:
            likelihood, priority, need = candidate.scores
            candidate.score = weighted_score(likelihood=likelihood, priority=priority, need=need, weights=in_effect[-1])
        # Ties go to the lower spend, then the title, then the earlier candidate: the order they are saved in.
        ranked = rank(
            Ranked(key=c, score=c.score, spend=money(c.spend), title=c.title, tie_break=n)
            for n, c in enumerate(candidates)
        )
        ordered = [row.key for row in ranked]
        funded = b.rng.randint(2, count - 1)
        b.innovation[year] = YearList(
            year=year,
            weights=in_effect[-1],
            prepared=prepared,
            approved=approved if approved <= CAL.as_of else None,
            candidates=ordered,
            saving_order=candidates,
            wanted=sum(c.spend for c in ordered[:funded]),
        )


def wanted(b: "Builder", year: int) -> int:
    """Pence the year's list expects to allocate (0 without a list)."""
    found = getattr(b, "innovation", {}).get(year)
    return found.wanted if found else 0


def write_prioritisations(b: "Builder") -> None:
    lists = [b.innovation[year] for year in sorted(b.innovation)]
    if not lists:
        return
    officer = b.people[Role.POLICY_OFFICER][0]
    fund = b.funds[INNOVATION]
    candidates, prioritisations, entries = [], [], []
    for year_list in lists:
        rows = {}
        for candidate in year_list.saving_order:
            likelihood, priority, need = candidate.scores
            row = InnovationCandidate(
                title=candidate.title[:200],
                organisation=candidate.organisation,
                description="An invented project put forward for the Local Innovation Fund (generated benchmark data).",
                anticipated_spend=money(candidate.spend),
                likelihood_score=likelihood,
                priority_score=priority,
                need_score=need,
                scored_by=officer,
                year=b.year_rows[year_list.year],
                created_at=at_ten(year_list.prepared - dt.timedelta(days=b.rng.randint(7, 30))),
            )
            row._priorities = candidate.priorities
            rows[id(candidate)] = row
            candidates.append(row)
        available = money(year_list.available)
        allowances = allocate(
            spends=[money(c.spend) for c in year_list.candidates],
            fixed=[None] * len(year_list.candidates),
            available=available,
        )
        approved = year_list.approved
        prioritisation = Prioritisation(
            fund=fund,
            year=b.year_rows[year_list.year],
            available=available,
            weights=year_list.weights,
            status=Prioritisation.Status.APPROVED if approved else Prioritisation.Status.DRAFT,
            prepared_by=officer,
            approved_by=b.cfo if approved else None,
            approved_at=at_ten(approved) if approved else None,
        )
        total = sum(allowances, Decimal(0))
        prioritisation._change_reason = (
            f"Approved: {format_money(total)} allocated"
            if approved
            else f"Prepared with {format_money(available)} available"
        )
        prioritisations.append(prioritisation)
        for position, (candidate, allowance) in enumerate(zip(year_list.candidates, allowances, strict=True), start=1):
            entries.append(
                PrioritisationEntry(
                    prioritisation=prioritisation,
                    candidate=rows[id(candidate)],
                    weighted_score=candidate.score,
                    rank=position,
                    allowance=allowance,
                )
            )
            if approved and allowance > 0:
                b.counts["LIF allowances"] += 1
    bulk_insert(candidates)
    attribute_all(candidates, actor=officer, reasons=["Project put forward"] * len(candidates))
    insert_history(candidates)
    through = InnovationCandidate.priorities.through
    through.objects.bulk_create(
        [through(innovationcandidate_id=row.pk, priority_id=p.pk) for row in candidates for p in row._priorities]
    )
    bulk_insert(prioritisations)
    reasons = [p._change_reason for p in prioritisations]
    attribute_all(prioritisations, actor=officer, reasons=reasons)
    insert_history(prioritisations)
    for entry in entries:
        entry.prioritisation, entry.candidate = entry.prioritisation, entry.candidate
    bulk_insert(entries)
    attribute_all(entries, actor=officer, reasons=["Ranked and allocated"] * len(entries))
    insert_history(entries)
