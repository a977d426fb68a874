"""Market analysis (issue 10, point 2): engagement events, questions with answers published to every supplier (the
asker is never recorded against the answer), and notes on the market's appetite."""

from django.db import transaction
from django.utils import timezone

from commissioning.core.services import require, save_with_history
from commissioning.procurement.models import CaseStage, CommissioningCase, MarketEvent, MarketNote, MarketQuestion
from commissioning.procurement.services._common import advance

MANAGE = "procurement.manage_case"


def _not_future(day, errors, field="held_on"):
    if day and day > timezone.localdate():
        errors[field] = "The date must be today or in the past"


def _approved(case: CommissioningCase, field: str) -> dict:
    if not case.approved_to_proceed:
        return {field: "The case must be approved to proceed before market analysis"}
    return {}


@transaction.atomic
def event_add(*, actor, case: CommissioningCase, **data) -> MarketEvent:
    require(actor, MANAGE, case)
    event = MarketEvent(case=case, recorded_by=actor, **data)
    errors = _approved(case, "title")
    _not_future(event.held_on, errors)
    if not event.attendee_list:
        errors["attendees"] = "Enter the organisations that came, one a line"
    save_with_history(event, actor=actor, reason="Market engagement event recorded", errors=errors)
    advance(case, CaseStage.MARKET, actor=actor, reason="Market analysis under way")
    return event


@transaction.atomic
def question_add(*, actor, event: MarketEvent, question: str, answer: str = "", publish: bool = False):
    require(actor, MANAGE, event.case)
    item = MarketQuestion(event=event, question=question.strip(), answer=(answer or "").strip())
    errors = {}
    if publish:
        if not item.answer:
            errors["answer"] = "Enter the answer before publishing it"
        item.published_on = timezone.localdate()
    save_with_history(item, actor=actor, reason="Question recorded", errors=errors)
    return item


@transaction.atomic
def question_answer(*, actor, question: MarketQuestion, answer: str, publish: bool) -> MarketQuestion:
    require(actor, MANAGE, question.event.case)
    question.answer = answer.strip()
    errors = {} if question.answer else {"answer": "Enter the answer"}
    if publish and question.published_on is None:
        question.published_on = timezone.localdate()
    save_with_history(question, actor=actor, reason="Answer published" if publish else "Answer drafted", errors=errors)
    return question


@transaction.atomic
def market_note_add(*, actor, case: CommissioningCase, appetite: str, note: str) -> MarketNote:
    require(actor, MANAGE, case)
    item = MarketNote(
        case=case, appetite=appetite, note=note.strip(), recorded_on=timezone.localdate(), recorded_by=actor
    )
    errors = _approved(case, "note")
    save_with_history(item, actor=actor, reason="Market appetite noted", errors=errors)
    return item


@transaction.atomic
def market_summary_update(*, actor, case: CommissioningCase, market_summary: str) -> CommissioningCase:
    require(actor, MANAGE, case)
    case.market_summary = market_summary.strip()
    save_with_history(
        case,
        actor=actor,
        reason="Market analysis summarised",
        errors={} if case.market_summary else {"market_summary": "Enter what the analysis found"},
    )
    return case
