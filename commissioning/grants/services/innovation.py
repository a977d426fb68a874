"""Local Innovation Fund: candidate projects, the weights of the three factors, the ranked list with its
allowances, manual overrides and approval.

The seed, Section 3, "Local Innovation Fund": the budget is set after the Policy and Commissioning Team reviews
potential projects on three factors (likelihood of successful delivery, priority basis, assessment of need);
projects prioritised for delivery are allocated a budget allowance based on their anticipated spend. The
weights are configuration with an effective date (ARCHITECTURE.md). The CFO or the PCC approves the list.

Each write takes keyword arguments and the acting person, checks their permission (permissions/proposals.py),
runs in one transaction, validates with full_clean and leaves who and why on the history rows.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from commissioning.core.money import ZERO, format_money, to_money
from commissioning.core.services import attribute, require, save_with_history
from commissioning.funds import selectors as fund_selectors
from commissioning.funds import services as fund_services
from commissioning.funds.models import FinancialYear, Fund
from commissioning.grants.models import InnovationCandidate, InnovationWeights, Prioritisation, PrioritisationEntry

HUNDREDTH = Decimal("0.01")
MAX_SCORE = 5
SCORE_NAMES = ("likelihood_score", "priority_score", "need_score")
CANDIDATE_FIELDS = (
    "title",
    "organisation",
    "description",
    "anticipated_spend",
    "likelihood_score",
    "priority_score",
    "need_score",
    "year",
)


# The arithmetic: pure functions, so the rules can be tested on their own ----------------------------------


def weighted_score(*, likelihood: int, priority: int, need: int, weights: InnovationWeights) -> Decimal:
    """Σ(score ÷ 5 × weight) ÷ Σweights × 100, to 2 decimal places (half up): 0 when every score is 0, 100 when
    every score is 5, whatever the weights (which need not add up to 100)."""
    pairs = (
        (likelihood, Decimal(weights.likelihood_weight)),
        (priority, Decimal(weights.priority_weight)),
        (need, Decimal(weights.need_weight)),
    )
    total_weight = sum((weight for _, weight in pairs), ZERO)
    if total_weight <= 0:
        raise ValueError("The weights must add up to more than zero")
    weighted = sum((Decimal(score) / MAX_SCORE * weight for score, weight in pairs), ZERO)
    return (weighted / total_weight * 100).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Ranked:
    key: object  # the candidate (or anything the caller needs back)
    score: Decimal
    spend: Decimal
    title: str
    tie_break: int = 0  # the candidate's id, so equal titles still rank the same way every time


def rank(rows: Iterable[Ranked]) -> list[Ranked]:
    """Highest weighted score first (the score as shown, to 2 places); ties go to the lower anticipated spend,
    then the title in alphabetical order."""
    return sorted(rows, key=lambda row: (-row.score, row.spend, row.title.casefold(), row.tie_break))


def allocate(*, spends: Sequence[Decimal], fixed: Sequence[Decimal | None], available: Decimal) -> list[Decimal]:
    """Allowances for projects in rank order: the money allocated down the ranking until it runs out.

    The rule (seed, Section 3: each prioritised project gets an allowance equal to its anticipated spend):
    - an overridden entry keeps the allowance set by hand (`fixed`), and that money is set aside first;
    - every other project, from the top of the ranking, gets its full anticipated spend if it fits in what is
      left, or 0 if it does not: no project gets part of its spend;
    - a project that does not fit does not stop the list: a smaller project further down may still fit.
    So no higher-ranked project that fits is ever passed over for a lower-ranked one, and unless the overrides
    alone exceed it, the allowances never add up to more than `available` (a negative available counts as 0).
    """
    if len(spends) != len(fixed):
        raise ValueError("One fixed allowance (or None) is needed for each project")
    remaining = max(to_money(available), ZERO) - sum((to_money(f) for f in fixed if f is not None), ZERO)
    allowances = []
    for spend, fixed_allowance in zip(spends, fixed, strict=True):
        if fixed_allowance is not None:
            allowances.append(to_money(fixed_allowance))
        elif to_money(spend) <= remaining:
            allowances.append(to_money(spend))
            remaining -= to_money(spend)
        else:
            allowances.append(ZERO)
    return allowances


# Candidates --------------------------------------------------------------------------------------------


def _check_year_open_to_change(year: FinancialYear | None, errors: dict) -> None:
    if year is None:
        return
    if Prioritisation.objects.filter(year=year, status=Prioritisation.Status.APPROVED).exists():
        errors["year"] = (
            f"The prioritisation for {year.label} has been approved, so its projects can no longer change. "
            "Choose another year"
        )


def _candidate_rule_errors(candidate: InnovationCandidate, priorities: list) -> dict:
    errors = {}
    if not priorities:
        errors["priorities"] = "Select at least one Police and Crime Plan priority the project serves"
    if candidate.anticipated_spend is not None and candidate.anticipated_spend <= 0:
        errors["anticipated_spend"] = "Enter an anticipated spend more than £0.00"
    for name in SCORE_NAMES:
        score = getattr(candidate, name)
        if score is None or not 0 <= score <= MAX_SCORE:
            errors[name] = "Choose a score from 0 to 5"
    return errors


@transaction.atomic
def candidate_create(
    *,
    actor,
    title: str,
    organisation,
    description: str,
    anticipated_spend,
    likelihood_score: int,
    priority_score: int,
    need_score: int,
    priorities: Iterable,
    year: FinancialYear | None,
) -> InnovationCandidate:
    """Put a project forward for the Local Innovation Fund in a year, scored 0 to 5 on each factor."""
    require(actor, "grants.manage_prioritisation")
    priorities = list(priorities)
    candidate = InnovationCandidate(
        title=(title or "").strip(),
        organisation=organisation,
        description=(description or "").strip(),
        anticipated_spend=to_money(anticipated_spend) if anticipated_spend not in (None, "") else None,
        likelihood_score=likelihood_score,
        priority_score=priority_score,
        need_score=need_score,
        year=year,
        scored_by=actor,
    )
    errors = _candidate_rule_errors(candidate, priorities)
    _check_year_open_to_change(year, errors)
    save_with_history(candidate, actor=actor, reason="Project put forward", errors=errors)
    candidate.priorities.set(priorities)
    return candidate


@transaction.atomic
def candidate_update(*, actor, candidate: InnovationCandidate, data: dict, reason: str = "") -> InnovationCandidate:
    """Change a project's details or scores, until its year's prioritisation is approved. A draft prioritisation
    shows the change once it is recalculated."""
    require(actor, "grants.manage_prioritisation", candidate)
    unknown = set(data) - set(CANDIDATE_FIELDS) - {"priorities"}
    if unknown:
        raise TypeError(f"Cannot set {sorted(unknown)} on a candidate")
    candidate = InnovationCandidate.objects.select_for_update().get(pk=candidate.pk)
    errors = {}
    _check_year_open_to_change(candidate.year, errors)
    if errors:
        raise ValidationError(errors)
    for name in CANDIDATE_FIELDS:
        if name in data:
            value = data[name]
            if name == "anticipated_spend" and value not in (None, ""):
                value = to_money(value)
            setattr(candidate, name, value.strip() if isinstance(value, str) else value)
    priorities = list(data["priorities"]) if "priorities" in data else list(candidate.priorities.all())
    errors = _candidate_rule_errors(candidate, priorities)
    _check_year_open_to_change(candidate.year, errors)
    candidate.scored_by = actor
    save_with_history(candidate, actor=actor, reason=reason or "Project details or scores changed", errors=errors)
    candidate.priorities.set(priorities)
    return candidate


# Weights ------------------------------------------------------------------------------------------------


@transaction.atomic
def innovation_weights_set(
    *, actor, effective_from: dt.date | None, likelihood_weight, priority_weight, need_weight
) -> InnovationWeights:
    """Add the weights used from a date. Earlier rows stay, so a prioritisation keeps the weights it was made
    with. Each weight is 0 or more and at least one is more than 0."""
    require(actor, "grants.change_innovation_weights")
    errors = {}
    values = {}
    for name, value in (
        ("likelihood_weight", likelihood_weight),
        ("priority_weight", priority_weight),
        ("need_weight", need_weight),
    ):
        try:
            values[name] = Decimal(value)
        except (TypeError, ValueError, ArithmeticError):
            errors[name] = "Enter a weight as a number, like 40"
            continue
        if values[name] < 0:
            errors[name] = "Enter a weight of 0 or more"
    if not errors and sum(values.values(), ZERO) <= 0:
        errors["__all__"] = ["At least one weight must be more than 0"]
    if effective_from is None:
        errors["effective_from"] = "Enter the date the weights are used from"
    elif InnovationWeights.objects.filter(effective_from=effective_from).exists():
        errors["effective_from"] = (
            f"Weights used from {effective_from.day} {effective_from:%B %Y} already exist. Choose another date"
        )
    weights = InnovationWeights(effective_from=effective_from, **values)
    save_with_history(weights, actor=actor, reason="Weights set", errors=errors, exclude=list(errors))
    return weights


def weights_in_effect(on: dt.date) -> InnovationWeights | None:
    return InnovationWeights.objects.filter(effective_from__lte=on).order_by("-effective_from").first()


# Prioritisation ------------------------------------------------------------------------------------------


def _available(*, fund: Fund, year: FinancialYear) -> Decimal:
    """What the fund has left to commit in the year (its budget less live commitments, sub-funds included)."""
    return to_money(fund_selectors.fund_position(fund=fund, year=year).own_available)


def _build_entries(*, prioritisation: Prioritisation, actor, reason: str, keep: dict | None = None) -> None:
    """Score, rank and allocate the year's candidates into entries. `keep` maps candidate id to the
    (allowance, reason) of an override to carry over."""
    keep = keep or {}
    weights = prioritisation.weights
    candidates = list(InnovationCandidate.objects.filter(year=prioritisation.year))
    ranked = rank(
        Ranked(
            key=candidate,
            score=weighted_score(
                likelihood=candidate.likelihood_score,
                priority=candidate.priority_score,
                need=candidate.need_score,
                weights=weights,
            ),
            spend=to_money(candidate.anticipated_spend),
            title=candidate.title,
            tie_break=candidate.pk,
        )
        for candidate in candidates
    )
    fixed = [keep[row.key.pk][0] if row.key.pk in keep else None for row in ranked]
    allowances = allocate(spends=[row.spend for row in ranked], fixed=fixed, available=prioritisation.available)
    for position, (row, allowance) in enumerate(zip(ranked, allowances, strict=True), start=1):
        override = keep.get(row.key.pk)
        entry = PrioritisationEntry(
            prioritisation=prioritisation,
            candidate=row.key,
            weighted_score=row.score,
            rank=position,
            allowance=allowance,
            overridden=override is not None,
            override_reason=override[1] if override else "",
        )
        save_with_history(entry, actor=actor, reason=reason, exclude=["prioritisation"])


@transaction.atomic
def prioritisation_create(*, actor, fund: Fund | None, year: FinancialYear | None) -> Prioritisation:
    """Rank the year's candidates with the weights in effect today and allocate the fund's available money
    down the ranking (see `allocate` for the rule). One prioritisation per fund and year."""
    require(actor, "grants.manage_prioritisation")
    errors = {}
    if fund is None:
        errors["fund"] = "Choose the fund"
    if year is None:
        errors["year"] = "Choose the financial year"
    elif year.status != FinancialYear.Status.OPEN:
        errors["year"] = f"{year.label} is closed. Choose an open year"
    elif not InnovationCandidate.objects.filter(year=year).exists():
        errors["year"] = f"No projects have been put forward for {year.label}. Add candidates first"
    if fund is not None and year is not None and Prioritisation.objects.filter(fund=fund, year=year).exists():
        errors["year"] = f"The {fund.name} already has a prioritisation for {year.label}. Open it from the list"
    weights = weights_in_effect(timezone.localdate())
    if weights is None:
        errors["__all__"] = ["Set the weights of the three factors first"]
    if errors:
        raise ValidationError(errors)
    available = _available(fund=fund, year=year)
    prioritisation = Prioritisation(fund=fund, year=year, available=available, weights=weights, prepared_by=actor)
    try:
        with transaction.atomic():  # someone preparing the same list at the same moment gets the same message
            save_with_history(prioritisation, actor=actor, reason=f"Prepared with {format_money(available)} available")
    except IntegrityError:
        raise ValidationError(
            {"year": f"The {fund.name} already has a prioritisation for {year.label}. Open it from the list"}
        ) from None
    _build_entries(prioritisation=prioritisation, actor=actor, reason="Ranked and allocated")
    return prioritisation


def _lock_draft(prioritisation: Prioritisation, doing: str) -> Prioritisation:
    prioritisation = (
        Prioritisation.objects.select_for_update().select_related("fund", "year", "weights").get(pk=prioritisation.pk)
    )
    if prioritisation.status != Prioritisation.Status.DRAFT:
        raise ValidationError(f"The prioritisation for {prioritisation.year.label} is approved, so it cannot {doing}")
    return prioritisation


@transaction.atomic
def prioritisation_recalculate(*, actor, prioritisation: Prioritisation) -> Prioritisation:
    """Rebuild a draft with the year's current candidates and scores, the weights in effect today and the
    fund's available money now. Overrides of projects still on the list are kept."""
    require(actor, "grants.manage_prioritisation", prioritisation)
    prioritisation = _lock_draft(prioritisation, "be recalculated")
    weights = weights_in_effect(timezone.localdate())
    if weights is None:
        raise ValidationError("Set the weights of the three factors first")
    keep = {
        entry.candidate_id: (entry.allowance, entry.override_reason)
        for entry in prioritisation.entries.filter(overridden=True)
    }
    for old in prioritisation.entries.all():
        attribute(old, actor=actor, reason="Recalculated")
        old.delete()
    prioritisation.weights = weights
    prioritisation.available = _available(fund=prioritisation.fund, year=prioritisation.year)
    save_with_history(
        prioritisation,
        actor=actor,
        reason=f"Recalculated with {format_money(prioritisation.available)} available",
    )
    _build_entries(prioritisation=prioritisation, actor=actor, reason="Recalculated", keep=keep)
    return prioritisation


@transaction.atomic
def prioritisation_override(
    *, actor, entry: PrioritisationEntry, include: bool | None = None, allowance=None, reason: str
) -> PrioritisationEntry:
    """Set one project's allowance by hand, with the reason: include it with its full anticipated spend
    (include=True), exclude it (include=False), or give a different allowance (include=None, allowance=...).
    Other allowances are not moved; an override that would take the total past the available money is refused."""
    require(actor, "grants.manage_prioritisation", entry.prioritisation)
    prioritisation = _lock_draft(entry.prioritisation, "be changed")
    entry = PrioritisationEntry.objects.select_for_update().select_related("candidate").get(pk=entry.pk)
    errors = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = "Enter the reason for the override"
    spend = to_money(entry.candidate.anticipated_spend)
    if include is True:
        new_allowance = spend
    elif include is False:
        new_allowance = ZERO
    elif allowance in (None, ""):
        errors["allowance"] = "Enter the different allowance"
        new_allowance = None
    else:
        try:
            new_allowance = to_money(allowance)
        except (TypeError, ValueError):
            errors["allowance"] = "Enter an amount in pounds and pence, like 1250.50"
            new_allowance = None
        else:
            if new_allowance < 0:
                errors["allowance"] = "Enter an allowance of £0.00 or more"
    if new_allowance is not None and not errors:
        others = sum((e.allowance for e in prioritisation.entries.exclude(pk=entry.pk).only("allowance")), ZERO)
        total = others + new_allowance
        if total > prioritisation.available:
            field = "allowance" if include is None else "action"
            errors[field] = (
                f"That would allocate {format_money(total)}, {format_money(total - prioritisation.available)} more "
                f"than the {format_money(prioritisation.available)} available. Exclude or reduce another project first"
            )
    if errors:
        raise ValidationError(errors)
    entry.allowance = new_allowance
    entry.overridden = True
    entry.override_reason = reason
    save_with_history(entry, actor=actor, reason=f"Override: {reason}")
    return entry


@transaction.atomic
def prioritisation_approve(*, actor, prioritisation: Prioritisation) -> Prioritisation:
    """The Chief Finance Officer or the PCC approves the ranked list and its allowances, which set the fund's
    budget for new projects (seed, Section 3). Refused when the allowances now add up to more than the fund has
    available (money may have been committed elsewhere since the list was prepared): recalculate it first."""
    require(actor, "grants.approve_prioritisation", prioritisation)
    prioritisation = _lock_draft(prioritisation, "be approved again")
    total = sum((entry.allowance for entry in prioritisation.entries.only("allowance")), ZERO)
    # The fund's budget row, locked as every decision promising its money locks it (docs/decisions/0002).
    fund_services.fund_money_lock(fund_id=prioritisation.fund_id, year_id=prioritisation.year_id)
    available_now = _available(fund=prioritisation.fund, year=prioritisation.year)
    if total > available_now:
        raise ValidationError(
            f"The allowances add up to {format_money(total)}, but the {prioritisation.fund.name} now has "
            f"{format_money(available_now)} available in {prioritisation.year.label}. Recalculate the list, or "
            "reduce the allowances, first"
        )
    prioritisation.status = Prioritisation.Status.APPROVED
    prioritisation.approved_by = actor
    prioritisation.approved_at = timezone.now()
    save_with_history(prioritisation, actor=actor, reason=f"Approved: {format_money(total)} allocated")
    return prioritisation
