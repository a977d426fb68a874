"""Writing one county-sized share's rows with bulk_create: decisions, services, agreements and co-funders; funding
streams, budgets, budget lines and virements; commitments, payment schedules, payments and repayments."""

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING

from commissioning.agreements.models import Agreement, CoFunder, Service
from commissioning.demo.generate.common import (
    AGREEMENT_PREFIX,
    BATCH,
    CAL,
    CSA,
    GEN,
    INNOVATION,
    OTHER,
    POUND,
    PROPERTY,
    SAFETY,
    SERVICE_PREFIX,
    STREAM_PREFIX,
    VICTIMS,
    at_ten,
    fy_label,
    fy_of,
    money,
    month_end,
    month_index,
    split_pence,
)
from commissioning.demo.generate.plans import AgreementPlan, CommitmentPlan, ServicePlan
from commissioning.demo.generate.words import (
    GRANT_CONDITIONS,
    PAYMENT_TERMS,
    REPAYMENT_CONDITIONS,
    REPAYMENT_REASONS,
    RETURN_DATES,
    STREAM_TERMS,
)
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
from commissioning.strategy.models import DecisionRecord

if TYPE_CHECKING:
    from commissioning.demo.generate.builder import Builder


def write_services(b: "Builder", plans: list[ServicePlan]):
    decisions = {id(a.decision): a.decision for plan in plans for a in plan.agreements if a.decision}
    decisions = sorted(decisions.values(), key=lambda d: d.decided_on)  # numbered in date order
    rows = []
    for decision in decisions:
        sequence = b.decision_sequence.get(decision.decided_on.year, 0) + 1
        b.decision_sequence[decision.decided_on.year] = sequence
        decision.row = DecisionRecord(
            number=f"{decision.decided_on.year}/{sequence:03d}",
            year=decision.decided_on.year,
            sequence=sequence,
            subject=decision.subject[:250],
            legal_basis=decision.legal_basis,
            decision=decision.decision,
            reasons=decision.reasons,
            amount=money(decision.pence) if decision.pence is not None else None,
            decided_by=b.pcc,
            decided_on=decision.decided_on,
            publishable=decision.publishable,
            not_publishable_reason="" if decision.publishable else "Could identify victims of a small service",
            recorded_by=b.pick(b.officers),
        )
        rows.append(decision.row)
    DecisionRecord.objects.bulk_create(rows, batch_size=BATCH)
    b.counts["decision records"] += len(rows)

    services = []
    for plan in plans:
        b.service_number += 1
        plan.row = Service(
            reference=f"{SERVICE_PREFIX}{b.service_number:05d}",
            name=plan.name[:200],
            purpose=f"{plan.theme.nouns[0]} in {plan.delivery_area} (invented service, generated benchmark data).",
            provider=plan.provider,
            approach=plan.approach,
            main_panel_area=plan.panel_areas[0] if plan.panel_areas else None,
            delivery_area=plan.delivery_area,
            starts_on=plan.starts_on,
            ends_on=plan.ends_on,
            status=plan.status,
            lead_officer=plan.lead,
        )
        services.append(plan.row)
    Service.objects.bulk_create(services, batch_size=BATCH)
    b.counts["services"] += len(services)
    links = {"priorities": [], "panel_areas": [], "ring_fences": []}
    co_funders, agreements = [], []
    for plan in plans:
        sid = plan.row.pk
        links["priorities"] += [Service.priorities.through(service_id=sid, priority_id=p.pk) for p in plan.priorities]
        links["panel_areas"] += [
            Service.panel_areas.through(service_id=sid, panelarea_id=a.pk) for a in plan.panel_areas
        ]
        if plan.theme.ring_fenced:
            links["ring_fences"].append(Service.ring_fences.through(service_id=sid, fund_id=b.funds[CSA].pk))
        co_funders += [
            CoFunder(service=plan.row, organisation=partner, amount=money(pence), notes="Share over the life")
            for partner, pence in plan.co_funders
        ]
        for agreement in plan.agreements:
            number = b.agreement_numbers[agreement.starts_on.year] = b.agreement_numbers[agreement.starts_on.year] + 1
            status = agreement.status
            grant_like = agreement.kind == Agreement.Kind.GRANT
            agreement.row = Agreement(
                service=plan.row,
                reference=f"{AGREEMENT_PREFIX}{agreement.starts_on.year}-{number:05d}",
                kind=agreement.kind,
                regime=agreement.regime,
                value=money(agreement.value),
                starts_on=agreement.starts_on,
                ends_on=agreement.ends_on,
                conditions=GRANT_CONDITIONS if grant_like else "Service specification and KPIs as tendered.",
                repayment_conditions=REPAYMENT_CONDITIONS if grant_like else "",
                payment_terms=PAYMENT_TERMS[agreement.terms],
                status=status,
                signed_on=None
                if status == Agreement.Status.DRAFT
                else agreement.signed_on or agreement.starts_on - dt.timedelta(days=b.rng.randint(3, 30)),
                decision=agreement.decision.row if agreement.decision else None,
            )
            agreements.append(agreement.row)
    for name, rows in links.items():
        getattr(Service, name).through.objects.bulk_create(rows, batch_size=BATCH)
    CoFunder.objects.bulk_create(co_funders, batch_size=BATCH)
    Agreement.objects.bulk_create(agreements, batch_size=BATCH)
    b.counts["co-funders"] += len(co_funders)
    b.counts["agreements"] += len(agreements)


def reference(b: "Builder", prefix: str, day: dt.date) -> str:
    key = f"{prefix}-{day.year}"
    while True:
        b.payment_numbers[key] += 1
        reference = f"{key}-{b.payment_numbers[key]:06d}"
        if reference not in b.taken_references:
            return reference


def payment_periods(agreement: AgreementPlan, year: int) -> list[tuple[dt.date, int]]:
    """(due date, weight in months) for a commitment's payments: in arrears, or in advance for a grant."""
    if agreement.terms == "advance":
        return [(agreement.starts_on, 1)]
    first = month_index(dt.date(year, 4, 1))
    low, high = max(first, month_index(agreement.starts_on)), min(first + 11, month_index(agreement.ends_on))
    if agreement.terms == "monthly":
        return [(month_end(index), 1) for index in range(low, high + 1)]
    periods = []
    for quarter in range(4):
        start, end = max(low, first + 3 * quarter), min(high, first + 3 * quarter + 2)
        if start <= end:
            periods.append((month_end(end), end - start + 1))
    return periods


def write_money(b: "Builder", commitments: list[CommitmentPlan]):
    write_streams(b)
    rng = b.rng
    rows, schedules = [], []  # schedules: per commitment [(due_on, pence, paid_on or None, cancelled)]
    for plan in commitments:
        agreement, year = plan.agreement, plan.year
        periods = payment_periods(agreement, year)
        amount, released, status = plan.pence, 0, Commitment.Status.COMMITTED
        current = year == CAL.last_year
        stop_after = None
        if current and (agreement.starts_on > CAL.as_of or agreement.status == Agreement.Status.DRAFT):
            status = Commitment.Status.PLANNED if rng.random() < 0.6 else Commitment.Status.APPROVED
        elif current and (agreement.starts_on > CAL.as_of - dt.timedelta(days=60) or rng.random() < 0.1):
            status = Commitment.Status.APPROVED
        elif not current and agreement.terminated and year == fy_of(agreement.ends_on) and len(periods) > 1:
            stop_after = rng.randint(1, len(periods) - 1)
            status = Commitment.Status.RELEASED
        elif not current and rng.random() < 0.08:
            released = amount * rng.randint(2, 15) // 100 // POUND * POUND
        live = amount - released
        parts = split_pence(live, [weight for _, weight in periods])
        schedule = []
        for index, ((due_on, _), pence) in enumerate(zip(periods, parts, strict=True)):
            if pence <= 0:
                continue
            # Paid a little after it falls due, but within the commitment's year (ADR 0007).
            paid_on = min(due_on + dt.timedelta(days=rng.randint(2, 21)), dt.date(year + 1, 3, 31))
            if stop_after is not None and index >= stop_after:
                schedule.append((due_on, pence, None, True))
            elif status != Commitment.Status.PLANNED and (not current or paid_on <= CAL.as_of):
                schedule.append((due_on, pence, paid_on, False))
            else:
                schedule.append((due_on, pence, None, False))
        if stop_after is not None:
            released = live - sum(p for _, p, paid, _ in schedule if paid)
        approved_on = min(agreement.starts_on, dt.date(year, 4, 1)) - dt.timedelta(days=rng.randint(5, 40))
        rows.append(
            Commitment(
                fund=b.funds[plan.fund],
                year=b.year_rows[year],
                agreement=agreement.row,
                amount=money(amount),
                released_amount=money(released),
                status=status,
                approved_by=None if status == Commitment.Status.PLANNED else b.cfo,
                approved_at=None if status == Commitment.Status.PLANNED else at_ten(approved_on),
                created_by=rng.choice(b.finance),
            )
        )
        schedules.append(schedule)
    Commitment.objects.bulk_create(rows, batch_size=BATCH)
    b.counts["commitments"] += len(rows)

    scheduled, paid = [], []
    for commitment, schedule in zip(rows, schedules, strict=True):
        for due_on, pence, paid_on, cancelled in schedule:
            status = (
                ScheduledPayment.Status.CANCELLED
                if cancelled
                else ScheduledPayment.Status.PAID
                if paid_on
                else ScheduledPayment.Status.DUE
            )
            row = ScheduledPayment(commitment=commitment, due_on=due_on, amount=money(pence), status=status)
            scheduled.append(row)
            if paid_on:
                paid.append((row, paid_on))
    ScheduledPayment.objects.bulk_create(scheduled, batch_size=BATCH)
    payments = [
        Payment(
            commitment=row.commitment,
            scheduled=row,
            paid_on=paid_on,
            amount=row.amount,
            reference=reference(b, "PAY", paid_on),
            recorded_by=rng.choice(b.finance),
        )
        for row, paid_on in paid
    ]
    Payment.objects.bulk_create(payments, batch_size=BATCH)
    b.counts["scheduled payments"] += len(scheduled)
    b.counts["payments"] += len(payments)
    write_repayments(b, rows, payments)


def write_repayments(b: "Builder", commitments: list[Commitment], payments: list[Payment]):
    """A few grants asked to repay part of what they were paid: most received, some waived or awaited."""
    paid_by, last_paid = defaultdict(int), {}
    for payment in payments:
        paid_by[payment.commitment_id] += int(payment.amount * 100)
        last_paid[payment.commitment_id] = payment.paid_on  # in date order within a commitment
    candidates = [
        c
        for c in commitments
        if c.status == Commitment.Status.COMMITTED
        and c.agreement.kind == Agreement.Kind.GRANT
        and c.year.start_year < CAL.last_year
        and paid_by[c.pk] >= 500 * POUND
    ]
    chosen = b.rng.sample(candidates, min(len(candidates), max(4, len(candidates) // 80)))
    repayments, money_back, changed = [], [], []
    for commitment in chosen:
        pence = paid_by[commitment.pk] * b.rng.randint(10, 60) // 100 // POUND * POUND
        requested_on = min(last_paid[commitment.pk] + dt.timedelta(days=b.rng.randint(30, 120)), CAL.as_of)
        status = b.pick(
            (Repayment.Status.RECEIVED, Repayment.Status.REQUESTED, Repayment.Status.WAIVED), weights=(6, 2, 2)
        )
        repayment = Repayment(
            commitment=commitment,
            amount=money(pence),
            reason=b.pick(REPAYMENT_REASONS) + GEN,
            status=status,
            requested_by=b.pick(b.finance),
            requested_on=requested_on,
        )
        if status == Repayment.Status.RECEIVED:
            received_on = min(requested_on + dt.timedelta(days=b.rng.randint(14, 60)), CAL.as_of)
            repayment.payment = Payment(
                commitment=commitment,
                paid_on=received_on,
                amount=-money(pence),
                reference=reference(b, "REP", received_on),
                recorded_by=b.pick(b.finance),
            )
            money_back.append(repayment.payment)
            commitment.released_amount += money(pence)  # the money goes back to the fund
            changed.append(commitment)
        repayments.append(repayment)
    Payment.objects.bulk_create(money_back, batch_size=BATCH)
    Repayment.objects.bulk_create(repayments, batch_size=BATCH)
    Commitment.objects.bulk_update(changed, ["released_amount"], batch_size=BATCH)
    b.counts["payments"] += len(money_back)
    b.counts["repayments"] += len(repayments)


def write_streams(b: "Builder"):
    """The share's funding streams, their allocations and return dates, budget lines and virements."""
    specs = [
        ("moj", FundingStream.Source.MOJ_VICTIMS, VICTIMS),
        ("internal", FundingStream.Source.INTERNAL, SAFETY),
        ("reserves", FundingStream.Source.RESERVES, INNOVATION),
        ("ppa", FundingStream.Source.POLICE_PROPERTY_ACT, PROPERTY),
    ] + [(key, FundingStream.Source.HOME_OFFICE, OTHER) for key, *_ in CAL.home_office_grants]
    suffix = "" if b.scale.copies == 1 else f"-{b.copy + 1:02d}"
    streams = {
        key: FundingStream(
            code=f"{STREAM_PREFIX}{key}{suffix}",
            name=b.stream_label(key) + GEN,
            source=source,
            fund=b.funds[fund],
            grant_terms=STREAM_TERMS.get(key, ("", ""))[0],
            reporting_requirements=STREAM_TERMS.get(key, ("", ""))[1],
            is_active=CAL.last_year in b.stream_amounts[key],
        )
        for key, source, fund in specs
    }
    FundingStream.objects.bulk_create(streams.values())
    allocations, returns = [], []
    for key, by_year in b.stream_amounts.items():
        for year, pence in by_year.items():
            row = StreamAllocation(stream=streams[key], year=b.year_rows[year], amount=money(pence))
            row.confirmed, row.notes = True, "Generated benchmark data"
            allocations.append(row)
            dues = RETURN_DATES.get("home_office" if key in CAL.home_office_keys else key, ())
            for kind, month_day, offset in dues:
                due_on = dt.date(year + offset, *month_day)
                submitted = due_on - dt.timedelta(days=b.rng.randint(0, 10)) if due_on <= CAL.as_of else None
                returns.append(
                    StreamReturnDate(
                        stream=streams[key],
                        year=b.year_rows[year],
                        kind=kind,
                        due_on=due_on,
                        description=StreamReturnDate.Kind(kind).label,
                        submitted_on=submitted,
                    )
                )
    StreamAllocation.objects.bulk_create(allocations, batch_size=BATCH)
    StreamReturnDate.objects.bulk_create(returns, batch_size=BATCH)
    lines = [
        (code, year, kind, pence, streams[key], f"{description}, {fy_label(year)}{GEN}")
        for code, year, kind, pence, key, description in b.lines
    ]
    virements = []
    for year, source, target, pence, reason in b.virements:
        reason = f"{reason} {fy_label(year)}{b.tag}{GEN}"
        source_name, target_name = b.funds[source].name, b.funds[target].name
        lines.append((source, year, BudgetLine.Kind.VIREMENT, -pence, None, f"To {target_name}: {reason}"))
        lines.append((target, year, BudgetLine.Kind.VIREMENT, pence, None, f"From {source_name}: {reason}"))
        virements.append(
            Virement(
                year=b.year_rows[year],
                from_fund=b.funds[source],
                to_fund=b.funds[target],
                amount=money(pence),
                reason=reason,
                status=Virement.Status.APPROVED,
                requested_by=b.finance[0],
                decided_by=b.cfo,
                decided_at=at_ten(dt.date(year, 4, 20)),
                decision_note="Approved",
            )
        )
    # Two that moved no money: one turned down in a past year, one still waiting in the current year.
    for year, status in ((b.rng.randint(CAL.first_year, CAL.last_year - 1), Virement.Status.REJECTED),
                         (CAL.last_year, Virement.Status.REQUESTED)):  # fmt: skip
        rejected = status == Virement.Status.REJECTED
        virements.append(
            Virement(
                year=b.year_rows[year],
                from_fund=b.funds[SAFETY],
                to_fund=b.funds[INNOVATION],
                amount=money(b.rng.randrange(5_000, 40_000, 500) * POUND),
                reason=f"Move expected underspend to new projects {fy_label(year)}{b.tag}{GEN}",
                status=status,
                requested_by=b.pick(b.finance),
                decided_by=b.cfo if rejected else None,
                decided_at=at_ten(dt.date(year, 10, 1)) if rejected else None,
                decision_note="Commitments are expected to rise in the second half of the year" if rejected else "",
            )
        )
    new_budgets = [b.budget(code, year) for code, year, *_ in lines]
    new_budgets = list({id(b): b for b in new_budgets if b.pk is None}.values())
    Budget.objects.bulk_create(new_budgets, batch_size=BATCH)
    rows = [
        BudgetLine(
            budget=b.budget(code, year),
            kind=kind,
            amount=money(pence),
            stream=stream,
            description=description[:300],
            created_by=b.pick(b.finance),
        )
        for code, year, kind, pence, stream, description in lines
    ]
    BudgetLine.objects.bulk_create(rows, batch_size=BATCH)
    Virement.objects.bulk_create(virements, batch_size=BATCH)
    b.counts["funding streams"] += len(streams)
    b.counts["stream allocations"] += len(allocations)
    b.counts["return dates"] += len(returns)
    b.counts["budgets"] += len(new_budgets)
    b.counts["budget lines"] += len(rows)
    b.counts["virements"] += len(virements)
