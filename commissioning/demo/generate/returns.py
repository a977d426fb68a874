"""Monitoring for generated services (issue 11, point 7): each service's KPIs, and a quarterly return for every
period it has delivered, with a figure for every KPI and breakdown category, written with core.services.bulk_insert
(multi-row INSERTs; no history, as for the rest of the generated data).

What each generated service reports (the KPI definitions come from the loaded profile):
- every service: the number of beneficiaries (with a target) and gender, quarterly;
- long-running services (priority commissioning, inherited and co-commissioned): age band every six months and
  ethnicity (the 2021 Census's 19 groups) yearly, in the return that ends in March or September;
- services paid from a fund a funder's stream pays into (the Victims Fund's parts): the funder's required measures
  (FunderKpi: victims supported, coping and recovery), marked with the stream.

The figures hold together as the Panel report expects: a breakdown that must add up adds up to its total exactly;
a half-yearly or yearly breakdown counts the people of the quarters it covers; victims supported are no more than
the beneficiaries. Returns are accepted except near "today": the latest period's return is due, overdue, submitted,
queried or resubmitted in proportions like a real quarter's, and a few older ones were queried once and accepted
on their second version. Case studies (some consented for publication) and feedback records are sprinkled over
the long-running services.
"""

import datetime as dt
from typing import TYPE_CHECKING

from commissioning.core.services import bulk_insert
from commissioning.demo.generate.common import CAL, LONDON, POUND, month_end, month_index, month_start
from commissioning.funds.selectors import fund_descendant_ids
from commissioning.monitoring.models import (
    CaseStudy,
    FeedbackRecord,
    FunderKpi,
    KpiDefinition,
    KpiReturn,
    ReturnDecision,
    ReturnStatus,
    ReturnValue,
    ReturnVersion,
    ServiceKpi,
)

if TYPE_CHECKING:
    from commissioning.demo.generate.builder import Builder
    from commissioning.demo.generate.plans import ServicePlan

A_LONG = ("priority_commissioning", "inherited", "co_commissioned")
DAYS_TO_SUBMIT = 28
BATCH = 2000
# Plausible shares of the people a service helps, by category (the not known category last, where it is).
WEIGHTS = {
    "gender": {"Female": 58, "Male": 37, "Non-binary or another gender": 1, "Not known or prefer not to say": 4},
    "age-band": {
        "Under 10": 3,
        "10 to 17": 12,
        "18 to 24": 14,
        "25 to 34": 21,
        "35 to 44": 19,
        "45 to 54": 14,
        "55 to 64": 9,
        "65 and over": 6,
        "Not known": 2,
    },
    # Roughly the population of a largely White British county, in tenths of a percent.
    "ethnicity": {
        "Bangladeshi": 3,
        "Chinese": 5,
        "Indian": 6,
        "Pakistani": 2,
        "Other Asian": 6,
        "African": 6,
        "Caribbean": 2,
        "Other Black": 1,
        "White and Asian": 5,
        "White and Black African": 3,
        "White and Black Caribbean": 5,
        "Other Mixed or Multiple ethnic groups": 5,
        "English, Welsh, Scottish, Northern Irish or British": 850,
        "Irish": 6,
        "Gypsy or Irish Traveller": 2,
        "Roma": 1,
        "Other White": 45,
        "Arab": 2,
        "Any other ethnic group": 4,
        "Not stated": 41,
    },
    "coping-and-recovery": {
        "Better able to cope and recover": 76,
        "Not better able to cope and recover": 14,
        "Not known": 10,
    },
}
STORIES = (
    ("Support after a burglary", "An older victim was afraid to stay at home; a caseworker arranged new locks.",
     "Feels safe at home again."),
    ("Back to work after an assault", "A young man lost confidence after an assault; weekly sessions rebuilt it.",
     "Returned to work after three months."),
    ("A family supported through court", "A family was kept informed and accompanied through a long trial.",
     "Said they felt listened to throughout."),
    ("Leaving an abusive relationship", "A woman was helped to plan her safety and move to a new home.",
     "Living safely with her children."),
)  # fmt: skip
FEEDBACK = (
    ("partner", "Victim Care Unit", "Referrals are picked up quickly and victims are kept informed.", 4),
    ("survey", "Survey of service users", "Most people said they felt listened to and would recommend it.", 5),
    ("partner", "Community safety partnership", "Good attendance at meetings; reporting is sometimes late.", 3),
    ("service_user", "A service user", "The caseworker made a real difference to my family.", 5),
)


def split(total: int, weights: list[int], rng) -> list[int]:
    """Whole numbers in proportion to the weights, adding up to total exactly; the remainder goes to categories
    chosen by weight (so a small total does not pile up in the first category)."""
    whole = sum(weights)
    parts = [total * weight // whole for weight in weights]
    left = total - sum(parts)
    if left:
        for index in rng.choices(range(len(weights)), weights=weights, k=left):
            parts[index] += 1
    return parts


def quarters(starts_on: dt.date, ends_on: dt.date | None, as_of: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The financial-year quarters (Apr–Jun, Jul–Sep, Oct–Dec, Jan–Mar) the service delivered in, from the one
    holding starts_on to the one holding ends_on, that have ended by as_of."""
    first = month_index(starts_on)
    first -= first % 3  # back to January, April, July or October
    found = []
    while True:
        start, end = month_start(first), month_end(first + 2)
        if end >= as_of or (ends_on is not None and start > ends_on):
            return found
        found.append((start, end))
        first += 3


class ReturnWriter:
    def __init__(self, b: "Builder"):
        self.b, self.rng = b, b.rng
        self.definitions = {d.code: d for d in KpiDefinition.objects.all()}
        self.requirements = []  # (FunderKpi, fund ids of its stream)
        for requirement in FunderKpi.objects.select_related("stream__fund", "definition").filter(
            stream__is_active=True
        ):
            self.requirements.append((requirement, set(fund_descendant_ids(fund=requirement.stream.fund))))
        provider_users = b.people.get("provider") or b.officers
        self.provider = provider_users[0]

    def kpis_for(self, plan: "ServicePlan") -> list[ServiceKpi]:
        service = plan.row
        annual = max(a.annual for a in plan.agreements) // POUND
        expected = max(3, annual // 650 // 4) if plan.approach != "community_grant" else max(3, annual // 120 // 4)
        plan.expected = expected
        chosen = [("beneficiaries", "quarterly", None), ("gender", "quarterly", None)]
        if plan.approach in A_LONG:
            chosen += [("age-band", "half_yearly", None), ("ethnicity", "yearly", None)]
        funds = {self.b.funds[code].pk for a in plan.agreements for code, _ in a.funds if code in self.b.funds}
        for requirement, stream_funds in self.requirements:
            if funds & stream_funds and requirement.definition.code not in {c for c, _, _ in chosen}:
                chosen.append((requirement.definition.code, requirement.frequency, requirement.stream))
        kpis = []
        for order, (code, frequency, stream) in enumerate(chosen, start=1):
            definition = self.definitions.get(code)
            if definition is None:
                continue
            kpis.append(
                ServiceKpi(
                    service=service,
                    definition=definition,
                    required_by=stream,
                    unit="people",
                    target=expected * 95 // 100 if code == "beneficiaries" else None,
                    direction="higher",
                    frequency=frequency,
                    effective_from=service.starts_on,
                    order=order,
                )
            )
        return kpis

    def write(self, plans: list["ServicePlan"]) -> None:
        b, rng = self.b, self.rng
        reporting = [p for p in plans if p.row.status != "planned"]
        kpis_by_plan = {id(p): self.kpis_for(p) for p in reporting}
        all_kpis = [kpi for kpis in kpis_by_plan.values() for kpi in kpis]
        bulk_insert(all_kpis, batch_size=BATCH)
        b.counts["service KPIs"] += len(all_kpis)

        returns, figures = [], []  # figures: per return, [(kpi, category, value)]
        for plan in reporting:
            service = plan.row
            periods = quarters(service.starts_on, service.ends_on, CAL.as_of)
            year_people: dict[tuple, int] = {}  # (financial year, half) -> people counted
            trend = rng.uniform(-0.03, 0.05)
            for index, (start, end) in enumerate(periods):
                due_on = end + dt.timedelta(days=DAYS_TO_SUBMIT)
                kpi_return = KpiReturn(service=service, starts_on=start, ends_on=end, due_on=due_on)
                kpi_return.status = self.status_for(service, index == len(periods) - 1, due_on)
                returns.append(kpi_return)
                people = max(0, round(plan.expected * (1 + trend * index / 4) * rng.uniform(0.78, 1.22)))
                fy = start.year if start.month >= 4 else start.year - 1
                months_in = (end.month - 4) % 12 + 1
                half = 0 if months_in <= 6 else 1
                year_people[(fy, half)] = year_people.get((fy, half), 0) + people
                rows = []
                if kpi_return.status != ReturnStatus.DUE:
                    for kpi in kpis_by_plan[id(plan)]:
                        if kpi.frequency == "yearly" and months_in != 12:
                            continue
                        if kpi.frequency == "half_yearly" and months_in not in (6, 12):
                            continue
                        code = kpi.definition.code
                        if kpi.frequency == "yearly":
                            total = year_people.get((fy, 0), 0) + year_people.get((fy, 1), 0)
                        elif kpi.frequency == "half_yearly":
                            total = year_people[(fy, half)]
                        else:
                            total = people
                        if code == "victims-supported":
                            total = total * rng.randint(80, 100) // 100
                        elif code == "coping-and-recovery":
                            total = total * rng.randint(30, 50) // 100
                        rows.append((kpi, "", total))
                        if kpi.definition.kind == "breakdown":
                            categories = kpi.definition.breakdown
                            shares = WEIGHTS.get(code, {})
                            weights = [max(1, shares.get(c, 1) * rng.randint(80, 120) // 100) for c in categories]
                            rows += zip([kpi] * len(categories), categories, split(total, weights, rng), strict=True)
                figures.append(rows)
        bulk_insert(returns, batch_size=BATCH)
        b.counts["KPI returns"] += len(returns)
        self.write_versions(returns, figures)
        self.write_stories(reporting, returns)

    def status_for(self, service, latest: bool, due_on: dt.date) -> str:
        """Accepted, mostly; the latest period's return is at any stage while the service still delivers."""
        roll = self.rng.random()
        if service.status == "ended" or not latest:
            return ReturnStatus.ACCEPTED
        if due_on >= CAL.as_of:  # not due yet: half not started, a third sent, a few already checked
            return ReturnStatus.DUE if roll < 0.45 else ReturnStatus.SUBMITTED if roll < 0.8 else ReturnStatus.ACCEPTED
        if roll < 0.08:
            return ReturnStatus.DUE  # overdue
        if roll < 0.28:
            return ReturnStatus.SUBMITTED
        if roll < 0.33:
            return ReturnStatus.QUERIED
        if roll < 0.36:
            return ReturnStatus.RESUBMITTED
        return ReturnStatus.ACCEPTED

    def write_versions(self, returns: list[KpiReturn], figures: list[list]) -> None:
        b, rng = self.b, self.rng
        versions, values_for, decisions = [], [], []
        for kpi_return, rows in zip(returns, figures, strict=True):
            if kpi_return.status == ReturnStatus.DUE:
                continue
            sent = min(kpi_return.due_on - dt.timedelta(days=rng.randint(0, 24)), CAL.as_of - dt.timedelta(days=1))
            sent = max(sent, kpi_return.ends_on + dt.timedelta(days=1))
            twice = kpi_return.status == ReturnStatus.RESUBMITTED or (
                kpi_return.status == ReturnStatus.ACCEPTED and rng.random() < 0.03
            )
            numbers = (1, 2) if twice else (1,)
            for number in numbers:
                on = min(sent + dt.timedelta(days=12 * (number - 1)), CAL.as_of)
                version = ReturnVersion(
                    kpi_return=kpi_return,
                    number=number,
                    method="upload" if rng.random() < 0.4 else "web",
                    note="",
                    submitted_by=self.provider,
                    submitted_at=dt.datetime.combine(on, dt.time(11, 0), LONDON),
                )
                versions.append(version)
                values_for.append((version, rows))
                decided = min(on + dt.timedelta(days=rng.randint(2, 10)), CAL.as_of)
                outcome = None
                if number < len(numbers) or kpi_return.status == ReturnStatus.QUERIED:
                    outcome, comments = "queried", "Please check the total against the breakdowns you sent."
                elif kpi_return.status == ReturnStatus.ACCEPTED:
                    outcome, comments = "accepted", ""
                if outcome:
                    decisions.append(
                        ReturnDecision(
                            version=version,
                            outcome=outcome,
                            comments=comments,
                            decided_by=b.pick(b.officers),
                            decided_at=dt.datetime.combine(decided, dt.time(15, 0), LONDON),
                        )
                    )
        bulk_insert(versions, batch_size=BATCH)
        for decision in decisions:
            decision.version_id = decision.version.pk
        bulk_insert(decisions, batch_size=BATCH)
        b.counts["return versions"] += len(versions)
        values = []
        count = 0
        for version, rows in values_for:
            values += [ReturnValue(version=version, kpi=kpi, category=c, value=v) for kpi, c, v in rows]
            if len(values) >= 20_000:
                count += self.flush(values)
                values = []
        count += self.flush(values)
        b.counts["KPI values"] += count

    @staticmethod
    def flush(values: list[ReturnValue]) -> int:
        for value in values:
            value.version_id, value.kpi_id = value.version.pk, value.kpi.pk
        bulk_insert(values, batch_size=BATCH)
        return len(values)

    def write_stories(self, plans: list["ServicePlan"], returns: list[KpiReturn]) -> None:
        """A case study with about one accepted return in forty (two in three consented for publication) and a
        feedback record or two on each long-running service."""
        b, rng = self.b, self.rng
        studies = []
        for kpi_return in returns:
            if kpi_return.status != ReturnStatus.ACCEPTED or rng.random() >= 0.025:
                continue
            title, story, outcome = b.pick(STORIES)
            studies.append(
                CaseStudy(
                    kpi_return=kpi_return,
                    title=title,
                    story=story,
                    outcome=outcome,
                    consented_for_publication=rng.random() < 0.67,
                    written_by=self.provider,
                    written_at=dt.datetime.combine(kpi_return.ends_on, dt.time(12, 0), LONDON) + dt.timedelta(days=7),
                )
            )
        bulk_insert(studies, batch_size=BATCH)
        feedback = []
        for plan in plans:
            if plan.approach not in A_LONG:
                continue
            for _ in range(rng.randint(1, 2)):
                source, given_by, summary, rating = b.pick(FEEDBACK)
                start, end = plan.row.starts_on, min(plan.row.ends_on or CAL.as_of, CAL.as_of)
                received = start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))
                feedback.append(
                    FeedbackRecord(
                        service=plan.row,
                        source=source,
                        given_by=given_by,
                        received_on=received,
                        summary=summary,
                        rating=rating,
                        respondents=rng.randint(8, 60) if source == "survey" else None,
                        recorded_by=b.pick(b.officers),
                        recorded_at=dt.datetime.combine(received, dt.time(16, 0), LONDON),
                    )
                )
        bulk_insert(feedback, batch_size=BATCH)
        b.counts["case studies"] += len(studies)
        b.counts["feedback records"] += len(feedback)


def write_returns(b: "Builder", plans: list["ServicePlan"]) -> None:
    ReturnWriter(b).write(plans)
