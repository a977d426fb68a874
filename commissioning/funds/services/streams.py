"""Funding streams and their return dates, as the configuration admin makes them, for code that records them
on an officer's behalf (the demo). Each is validated and saved with its history."""

import datetime as dt

from django.db import transaction

from commissioning.core.services import require, save_with_history
from commissioning.funds.models import FinancialYear, Fund, FundingStream, StreamReturnDate


@transaction.atomic
def funding_stream_create(
    *,
    actor,
    code: str,
    name: str,
    source: str,
    fund: Fund,
    funder=None,
    grant_terms: str = "",
    reporting_requirements: str = "",
) -> FundingStream:
    """A source of money paying into a fund (a Ministry of Justice grant, Police Property Act proceeds, ...)."""
    require(actor, "funds.manage_budget")
    stream = FundingStream(
        code=code,
        name=(name or "").strip(),
        source=source,
        fund=fund,
        funder=funder,
        grant_terms=(grant_terms or "").strip(),
        reporting_requirements=(reporting_requirements or "").strip(),
    )
    save_with_history(stream, actor=actor, reason="Funding stream added")
    return stream


@transaction.atomic
def stream_return_date_add(
    *,
    actor,
    stream: FundingStream,
    year: FinancialYear,
    kind: str,
    due_on: dt.date,
    description: str = "",
    submitted_on: dt.date | None = None,
) -> StreamReturnDate:
    """A claim, monitoring return or accounts the funder asks for by a date (submitted_on once sent)."""
    require(actor, "funds.manage_budget", stream)
    row = StreamReturnDate(
        stream=stream, year=year, kind=kind, due_on=due_on, description=description, submitted_on=submitted_on
    )
    save_with_history(row, actor=actor, reason="Return date added")
    return row


@transaction.atomic
def stream_return_mark_submitted(
    *, actor, return_date: StreamReturnDate, submitted_on: dt.date, reason: str = ""
) -> StreamReturnDate:
    """Record that a claim or return was sent to the funder (once: a sent return is not sent again here)."""
    require(actor, "funds.manage_budget", return_date.stream)
    row = StreamReturnDate.objects.select_for_update().get(pk=return_date.pk)
    if row.submitted_on is not None:
        from django.core.exceptions import ValidationError

        raise ValidationError(f"This return was already marked submitted on {row.submitted_on:%d %B %Y}")
    row.submitted_on = submitted_on
    save_with_history(row, actor=actor, reason=reason or "Return submitted to the funder")
    return row
