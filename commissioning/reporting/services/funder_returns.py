"""Marking a funder return submitted: the figures as sent are kept (FunderReturn, with its history) and the
stream's reporting date records the day (funds.services.streams)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.core.services import require, save_with_history
from commissioning.funds.services import streams as stream_services
from commissioning.reporting.models import FunderReturn
from commissioning.reporting.selectors import funder_returns as selectors


@transaction.atomic
def funder_return_submit(*, actor, return_date, note: str = "") -> FunderReturn:
    """Record that the return for `return_date` was sent, with the figures it carried. Once only."""
    require(actor, "reporting.submit_funder_return")
    if FunderReturn.objects.filter(return_date=return_date).exists() or return_date.submitted_on is not None:
        raise ValidationError("This return has already been marked submitted")
    data = selectors.funder_return(return_date)
    today = timezone.localdate()
    stream_services.stream_return_mark_submitted(
        actor=actor, return_date=return_date, submitted_on=today, reason=f"{data.title} submitted"
    )
    row = FunderReturn(
        return_date=return_date,
        layout=data.layout,
        period_starts_on=data.starts_on,
        period_ends_on=data.ends_on,
        figures=data.as_json(),
        submitted_by=actor,
        submitted_on=today,
        note=(note or "").strip(),
    )
    save_with_history(row, actor=actor, reason=f"{data.title} submitted")
    return row
