"""Writes for reporting: Panel report highlights and funder returns marked submitted."""

from commissioning.reporting.services.funder_returns import funder_return_submit
from commissioning.reporting.services.highlights import highlight_add

__all__ = ["funder_return_submit", "highlight_add"]
