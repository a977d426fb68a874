"""Every write to grant rounds, their eligibility questions and assessment criteria (issue 5, point 1).

A round of a scheme (Dorset: the Community Grant Scheme, seed Section 3) has opening and closing times, a
budget from the scheme's fund (or its PCC top-up fund), a terms and conditions version, guidance, yes/no
eligibility questions and criteria weighted to 100% with six descriptors for scores 0 to 5 (DOMAIN.md,
"Evaluation conventions"). Questions and criteria change only while the round is a draft; publishing checks
that the round is complete and that its budget is money the fund has that year.

Each function takes keyword arguments and the acting person, checks their permission (permissions/apply.py),
runs in one transaction, validates with full_clean before saving and leaves who and why on the history row.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.core.money import format_money, to_money
from commissioning.core.services import attribute, require, save_with_history
from commissioning.funds import services as fund_services
from commissioning.funds.models import Fund
from commissioning.funds.selectors import fund_position
from commissioning.grants.models import AssessmentCriterion, EligibilityQuestion, GrantRound
from commissioning.grants.selectors.rounds import DEFAULT_DESCRIPTORS, HUNDRED, when_text

ROUND_FIELDS = ("scheme", "name", "opens_at", "closes_at", "budget", "fund", "year", "terms", "guidance")
# Once published, applicants rely on the rest: only these may change (e.g. to extend the closing time).
CHANGEABLE_ONCE_PUBLISHED = ("name", "guidance", "closes_at")
QUESTION_FIELDS = ("text", "hint", "required_answer", "ineligible_message", "order")
CRITERION_FIELDS = ("name", "guidance", "weight", "descriptors", "order")
DESCRIPTOR_COUNT = 6
# Rounds whose budget is spoken for until the awards are committed from the fund.
LIVE_STATUSES = (GrantRound.Status.PUBLISHED, GrantRound.Status.ASSESSING)

REQUIRED_MESSAGES = {
    "scheme": "Select the grant scheme",
    "name": "Enter a name for the round",
    "opens_at": "Enter the date and time the round opens",
    "closes_at": "Enter the date and time the round closes",
    "budget": "Enter the round's budget",
    "fund": "Select the fund the awards are paid from",
    "year": "Select the financial year",
    "terms": "Select the terms and conditions for the round",
    "guidance": "Enter guidance for applicants",
    "text": "Enter the question",
    "ineligible_message": "Enter what to tell an organisation that cannot apply",
    "weight": "Enter the weight as a percentage",
    "required_answer": "Select which answer lets an organisation apply",
}
LABELS = {"scheme": "The scheme", "budget": "The budget", "fund": "The fund", "year": "The year", "terms": "The terms"}


# Every grants write: full_clean with the messages above (errors the service found first win over Django's own for
# the same field), then save with who and why in the history.
save = partial(save_with_history, required_messages=REQUIRED_MESSAGES, validate_constraints=False)


def _money_or_error(value, errors: dict, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return to_money(value)
    except (TypeError, ValueError):
        errors[field] = "Enter an amount in pounds and pence, like 1250.50"
        return None


# --- Rounds --------------------------------------------------------------------------------------------------


def _round_rule_errors(grant_round: GrantRound) -> dict:
    errors = {}
    scheme = grant_round.scheme if grant_round.scheme_id else None
    if not (grant_round.name or "").strip():
        errors["name"] = REQUIRED_MESSAGES["name"]
    if (
        scheme is not None
        and grant_round.fund_id
        and grant_round.fund_id not in (scheme.fund_id, scheme.top_up_fund_id)
    ):
        funds = " or its top-up fund, " + scheme.top_up_fund.name if scheme.top_up_fund_id else ""
        errors["fund"] = f"Select the scheme's fund, {scheme.fund.name}{funds}"
    if scheme is not None and grant_round.terms_id and grant_round.terms.scheme_id != scheme.pk:
        errors["terms"] = f"Select terms and conditions of the {scheme.name}"
    if grant_round.opens_at and grant_round.closes_at and grant_round.closes_at <= grant_round.opens_at:
        errors["closes_at"] = "The round must close after it opens"
    if grant_round.budget is not None and grant_round.budget <= 0:
        errors["budget"] = "Enter a budget of more than £0.00"
    return errors


@transaction.atomic
def round_create(
    *,
    actor,
    scheme,
    name: str,
    opens_at: dt.datetime | None,
    closes_at: dt.datetime | None,
    budget,
    fund: Fund | None,
    year,
    terms,
    guidance: str,
) -> GrantRound:
    """Draft a round of a scheme. It opens to applicants only when published (round_publish)."""
    require(actor, "grants.manage_rounds")
    errors: dict = {}
    grant_round = GrantRound(
        scheme=scheme,
        name=(name or "").strip(),
        opens_at=opens_at,
        closes_at=closes_at,
        budget=_money_or_error(budget, errors, "budget"),
        fund=fund,
        year=year,
        terms=terms,
        guidance=(guidance or "").strip(),
        status=GrantRound.Status.DRAFT,
    )
    errors = {**_round_rule_errors(grant_round), **errors}
    save(grant_round, actor=actor, reason="Round drafted", errors=errors)
    return grant_round


@transaction.atomic
def round_update(*, actor, grant_round: GrantRound, data: dict, reason: str = "") -> GrantRound:
    """Change a round. A draft changes freely; once published only its name, guidance and closing time."""
    require(actor, "grants.manage_rounds", grant_round)
    unknown = set(data) - set(ROUND_FIELDS)
    if unknown:
        raise TypeError(f"Cannot set {sorted(unknown)} on a round")
    grant_round = GrantRound.objects.select_for_update().get(pk=grant_round.pk)
    errors: dict = {}
    if grant_round.status in (GrantRound.Status.ASSESSING, GrantRound.Status.DECIDED):
        raise ValidationError(f"{grant_round.name} is {grant_round.get_status_display().lower()} and cannot change")
    data = dict(data)
    if "budget" in data:
        data["budget"] = _money_or_error(data["budget"], errors, "budget")
    if (
        grant_round.status == GrantRound.Status.PUBLISHED
        and "closes_at" in data
        and data["closes_at"] != grant_round.closes_at
        and grant_round.closes_at <= timezone.now()
    ):
        # Applicants were told it had closed, and officers may already be assessing: reopening is not fair.
        errors["closes_at"] = (
            f"The round closed at {when_text(grant_round.closes_at)}; its closing time cannot change once it has passed"
        )
        data.pop("closes_at")
    for field, value in data.items():
        if isinstance(value, str):
            value = value.strip()
        if (
            grant_round.status == GrantRound.Status.PUBLISHED
            and field not in CHANGEABLE_ONCE_PUBLISHED
            and getattr(grant_round, field) != value
        ):
            errors[field] = f"{LABELS.get(field, field.capitalize())} cannot change once the round is published"
            continue
        setattr(grant_round, field, value)
    errors = {**_round_rule_errors(grant_round), **errors}
    save(grant_round, actor=actor, reason=reason or "Round changed", errors=errors)
    return grant_round


def round_publish_problems(grant_round: GrantRound, *, now: dt.datetime | None = None) -> list[str]:
    """Why the round cannot be published yet, in words an officer can act on (empty when it can)."""
    now = now or timezone.now()
    problems = []
    total = sum((c.weight for c in grant_round.criteria.all()), Decimal("0.00"))
    if total != HUNDRED:
        problems.append(f"The criteria weights add up to {total.normalize():f}%; they must add up to 100%")
    if not grant_round.eligibility_questions.exists():
        problems.append("Add at least one eligibility question")
    if not grant_round.terms_id or grant_round.terms.scheme_id != grant_round.scheme_id:
        problems.append("Select the terms and conditions for the round")
    if grant_round.closes_at <= grant_round.opens_at:
        problems.append("The round must open before it closes")
    elif grant_round.closes_at <= now:
        problems.append(f"The round closed at {when_text(grant_round.closes_at)}. Set a closing time in the future")
    fund = grant_round.fund
    available = fund_position(fund=fund, year=grant_round.year).own_available
    others = GrantRound.objects.filter(fund=fund, year=grant_round.year, status__in=LIVE_STATUSES).exclude(
        pk=grant_round.pk
    )
    earmarked = sum((r.budget for r in others), Decimal("0.00"))
    free = available - earmarked
    if grant_round.budget > free:
        other_rounds = f" after {format_money(earmarked)} for other open rounds" if earmarked else ""
        problems.append(
            f"The round's budget of {format_money(grant_round.budget)} is more than the "
            f"{format_money(max(free, Decimal('0.00')))} available in {fund.name} in {grant_round.year.label}"
            f"{other_rounds}"
        )
    return problems


@transaction.atomic
def round_publish(*, actor, grant_round: GrantRound) -> GrantRound:
    """Publish a draft round so applicants see it and, between its opening and closing times, apply.

    Refused unless the criteria weights add up to 100%, there is at least one eligibility question, the
    terms are the scheme's, it opens before it closes, and its budget is no more than the fund's available
    money that year (funds.selectors.fund_position) less the budgets of other open rounds of that fund.
    """
    require(actor, "grants.manage_rounds", grant_round)
    grant_round = GrantRound.objects.select_for_update().get(pk=grant_round.pk)
    # Lock the fund's budget for the year (PostgreSQL), the row every decision on the fund's money locks, so two
    # rounds published at once cannot both take the same money.
    fund_services.fund_money_lock(fund_id=grant_round.fund_id, year_id=grant_round.year_id)
    if grant_round.status != GrantRound.Status.DRAFT:
        raise ValidationError(f"{grant_round.name} is already {grant_round.get_status_display().lower()}")
    problems = round_publish_problems(grant_round)
    if problems:
        raise ValidationError(problems)
    grant_round.status = GrantRound.Status.PUBLISHED
    save(grant_round, actor=actor, reason="Round published")
    return grant_round


def round_begin_assessment(*, actor, grant_round: GrantRound, now: dt.datetime | None = None) -> GrantRound:
    """A published round whose closing time has passed is being assessed: its status becomes ASSESSING (recorded
    in its history) when the first assessment step is taken on it (an eligibility check or an assessor assigned).
    From then on the round cannot change. Locks the round; call inside the step's transaction before locking its
    applications (the lock order of every grants service: round, then application). Returns the round."""
    now = now or timezone.now()
    grant_round = GrantRound.objects.select_for_update().get(pk=grant_round.pk)
    if grant_round.status == GrantRound.Status.PUBLISHED and grant_round.closes_at <= now:
        grant_round.status = GrantRound.Status.ASSESSING
        save(grant_round, actor=actor, reason=f"Closed at {when_text(grant_round.closes_at)}: assessment started")
    return grant_round


# --- Eligibility questions -----------------------------------------------------------------------------------


def _require_draft(grant_round: GrantRound, what: str) -> None:
    if grant_round.status != GrantRound.Status.DRAFT:
        raise ValidationError(f"{what} can change only while the round is a draft")


def _next_order(queryset) -> int:
    last = queryset.order_by("-order").values_list("order", flat=True).first()
    return (last or 0) + 1


@transaction.atomic
def eligibility_question_add(
    *,
    actor,
    grant_round: GrantRound,
    text: str,
    ineligible_message: str,
    required_answer: bool = True,
    hint: str = "",
    order: int | None = None,
) -> EligibilityQuestion:
    """A yes/no question asked before an application starts; the other answer stops it with the message."""
    require(actor, "grants.manage_rounds", grant_round)
    _require_draft(grant_round, "Eligibility questions")
    question = EligibilityQuestion(
        round=grant_round,
        text=(text or "").strip(),
        hint=(hint or "").strip(),
        required_answer=required_answer,
        ineligible_message=(ineligible_message or "").strip(),
        order=order if order is not None else _next_order(grant_round.eligibility_questions.all()),
    )
    save(question, actor=actor, reason="Eligibility question added")
    return question


@transaction.atomic
def eligibility_question_update(*, actor, question: EligibilityQuestion, data: dict) -> EligibilityQuestion:
    require(actor, "grants.manage_rounds", question.round)
    _require_draft(question.round, "Eligibility questions")
    unknown = set(data) - set(QUESTION_FIELDS)
    if unknown:
        raise TypeError(f"Cannot set {sorted(unknown)} on a question")
    for field, value in data.items():
        setattr(question, field, value.strip() if isinstance(value, str) else value)
    save(question, actor=actor, reason="Eligibility question changed")
    return question


@transaction.atomic
def eligibility_question_remove(*, actor, question: EligibilityQuestion) -> None:
    require(actor, "grants.manage_rounds", question.round)
    _require_draft(question.round, "Eligibility questions")
    attribute(question, actor=actor, reason="Eligibility question removed")
    question.delete()


# --- Assessment criteria -------------------------------------------------------------------------------------


def _criterion_errors(criterion: AssessmentCriterion, weight_raw) -> dict:
    errors = {}
    if not (criterion.name or "").strip():
        errors["name"] = "Enter the name of the criterion"
    weight = None
    if weight_raw is None or weight_raw == "":
        errors["weight"] = REQUIRED_MESSAGES["weight"]
    else:
        try:
            weight = Decimal(str(weight_raw))
        except InvalidOperation:
            errors["weight"] = "Enter the weight as a number, like 25"
    if weight is not None:
        if weight != weight.quantize(Decimal("0.01")):
            errors["weight"] = "Enter the weight with no more than 2 decimal places"
        elif not Decimal("0") < weight <= HUNDRED:
            errors["weight"] = "Enter a weight of more than 0% and no more than 100%"
        else:
            others = criterion.round.criteria.exclude(pk=criterion.pk)
            total = sum((c.weight for c in others), Decimal("0.00")) + weight
            if total > HUNDRED:
                errors["weight"] = (
                    f"The weights would add up to {total.normalize():f}%; they must add up to no more than 100%"
                )
    descriptors = criterion.descriptors
    if not isinstance(descriptors, list | tuple) or len(descriptors) != DESCRIPTOR_COUNT:
        errors["descriptors"] = f"Enter {DESCRIPTOR_COUNT} descriptors, for scores 0 to 5"
    else:
        for score, text in enumerate(descriptors):
            if not (text or "").strip():
                errors[f"descriptor_{score}"] = f"Enter a descriptor for a score of {score}"
    return errors


@transaction.atomic
def criterion_add(
    *,
    actor,
    grant_round: GrantRound,
    name: str,
    weight,
    guidance: str = "",
    descriptors: list[str] | None = None,
    order: int | None = None,
) -> AssessmentCriterion:
    """A criterion scored 0 to 5 against six written descriptors (default: No answer ... Excellent).
    The round's weights may not add up to more than 100%; publishing needs exactly 100%."""
    require(actor, "grants.manage_rounds", grant_round)
    _require_draft(grant_round, "Assessment criteria")
    criterion = AssessmentCriterion(
        round=grant_round,
        name=(name or "").strip(),
        guidance=(guidance or "").strip(),
        descriptors=[(d or "").strip() for d in (descriptors or DEFAULT_DESCRIPTORS)],
        order=order if order is not None else _next_order(grant_round.criteria.all()),
    )
    errors = _criterion_errors(criterion, weight)
    if "weight" not in errors:
        criterion.weight = Decimal(str(weight))
    save(criterion, actor=actor, reason="Assessment criterion added", errors=errors)
    return criterion


@transaction.atomic
def criterion_update(*, actor, criterion: AssessmentCriterion, data: dict) -> AssessmentCriterion:
    require(actor, "grants.manage_rounds", criterion.round)
    _require_draft(criterion.round, "Assessment criteria")
    unknown = set(data) - set(CRITERION_FIELDS)
    if unknown:
        raise TypeError(f"Cannot set {sorted(unknown)} on a criterion")
    data = dict(data)
    weight = data.pop("weight", criterion.weight)
    for field, value in data.items():
        if field == "descriptors":
            value = [(d or "").strip() for d in value]
        setattr(criterion, field, value.strip() if isinstance(value, str) else value)
    errors = _criterion_errors(criterion, weight)
    if "weight" not in errors:
        criterion.weight = Decimal(str(weight))
    save(criterion, actor=actor, reason="Assessment criterion changed", errors=errors)
    return criterion


@transaction.atomic
def criterion_remove(*, actor, criterion: AssessmentCriterion) -> None:
    require(actor, "grants.manage_rounds", criterion.round)
    _require_draft(criterion.round, "Assessment criteria")
    attribute(criterion, actor=actor, reason="Assessment criterion removed")
    criterion.delete()
