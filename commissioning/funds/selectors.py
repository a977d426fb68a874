"""Reads about funds."""

import datetime
from decimal import Decimal

from commissioning.funds.models import Fund, FundSplit


def fund_split_on(*, parent: Fund, on_date: datetime.date) -> dict[Fund, Decimal]:
    """The split of `parent` in force on `on_date` ({sub-fund: percentage}); empty when none is set."""
    latest = (
        FundSplit.objects.filter(parent=parent, effective_from__lte=on_date)
        .order_by("-effective_from")
        .values_list("effective_from", flat=True)
        .first()
    )
    if latest is None:
        return {}
    rows = FundSplit.objects.filter(parent=parent, effective_from=latest).select_related("child")
    return {row.child: row.percentage for row in rows}
