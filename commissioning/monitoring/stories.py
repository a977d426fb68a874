"""Writes for what a return says beyond its figures, and for feedback on a service (issue 11, point 3):

- the provider's narrative for a return (one per return, changed until the return is accepted);
- case studies told with a return, each marked whether the person agreed to its publication (only those reach the
  Police and Crime Panel report: selectors.case_studies_for_publication);
- feedback records an officer keeps on a service: a partner's view, a service-user survey, a comment or complaint,
  with who gave it, when, a summary and a rating from 1 to 5.

Each checks permission, runs in a transaction and records who and why in the history.
"""

from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.core.services import require, save_with_history
from commissioning.monitoring.models import CaseStudy, FeedbackRecord, KpiReturn, ReturnNarrative, ReturnStatus

REQUIRED_MESSAGES = {
    "achievements": "Say what went well in the period",
    "title": "Enter a title for the case study",
    "story": "Tell the person's story",
    "source": "Select what kind of feedback it is",
    "given_by": "Enter who gave the feedback",
    "received_on": "Enter the date the feedback was given",
    "summary": "Enter a summary of the feedback",
}
save = partial(save_with_history, required_messages=REQUIRED_MESSAGES)
NARRATIVE_FIELDS = ("achievements", "challenges", "next_period")
CASE_STUDY_FIELDS = ("title", "story", "outcome", "consented_for_publication")
FEEDBACK_FIELDS = ("source", "given_by", "received_on", "summary", "rating", "respondents")


def _open(kpi_return: KpiReturn) -> None:
    if kpi_return.status == ReturnStatus.ACCEPTED:
        raise ValidationError("This return has been accepted; its narrative and case studies can no longer change")


def narrative_for(kpi_return: KpiReturn) -> ReturnNarrative | None:
    try:
        return kpi_return.narrative
    except ReturnNarrative.DoesNotExist:
        return None


@transaction.atomic
def narrative_save(*, actor, kpi_return: KpiReturn, **data) -> ReturnNarrative:
    """Write or change the provider's narrative for the return."""
    require(actor, "monitoring.write_narrative", kpi_return)
    _open(kpi_return)
    unknown = set(data) - set(NARRATIVE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown narrative fields: {sorted(unknown)}")
    narrative = narrative_for(kpi_return) or ReturnNarrative(kpi_return=kpi_return)
    created = narrative.pk is None
    for field, value in data.items():
        setattr(narrative, field, (value or "").strip())
    narrative.updated_by, narrative.updated_at = actor, timezone.now()
    save(narrative, actor=actor, reason="Narrative written" if created else "Narrative changed")
    return narrative


@transaction.atomic
def case_study_add(*, actor, kpi_return: KpiReturn, **data) -> CaseStudy:
    """Add a case study to the return."""
    require(actor, "monitoring.write_narrative", kpi_return)
    _open(kpi_return)
    unknown = set(data) - set(CASE_STUDY_FIELDS)
    if unknown:
        raise TypeError(f"Unknown case study fields: {sorted(unknown)}")
    study = CaseStudy(kpi_return=kpi_return, written_by=actor, written_at=timezone.now(), **data)
    save(study, actor=actor, reason="Case study added")
    return study


@transaction.atomic
def feedback_add(*, actor, service, **data) -> FeedbackRecord:
    """Record feedback on the service's performance."""
    require(actor, "monitoring.record_feedback", service)
    unknown = set(data) - set(FEEDBACK_FIELDS)
    if unknown:
        raise TypeError(f"Unknown feedback fields: {sorted(unknown)}")
    record = FeedbackRecord(service=service, recorded_by=actor, recorded_at=timezone.now(), **data)
    errors = {}
    if record.received_on and record.received_on > timezone.localdate():
        errors["received_on"] = "The date the feedback was given must be today or in the past"
    if record.rating is not None and not 1 <= record.rating <= 5:
        errors["rating"] = "Select a rating from 1 to 5, or none"
    if record.source != FeedbackRecord.Source.SURVEY and record.respondents is not None:
        record.respondents = None  # only a survey counts its replies
    save(record, actor=actor, reason="Feedback recorded", errors=errors)
    return record
