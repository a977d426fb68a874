"""What the funds pages share: the year a page is about, links, and positions for a year not yet opened."""

from decimal import Decimal

from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from commissioning.core.dates import FinancialYear as FY
from commissioning.core.money import ZERO
from commissioning.funds import selectors
from commissioning.funds.models import FinancialYear


def this_year() -> int:
    """The start year of the financial year containing today (2026 for 2026/27)."""
    return FY.for_date(timezone.localdate()).start_year


def year_from_query(request) -> int:
    """?year=2026, or the year containing today when it is missing or not a plausible year."""
    try:
        start = int(request.GET.get("year", ""))
    except ValueError:
        return this_year()
    return start if 2000 <= start <= 2100 else this_year()


def plausible_year(start_year: int) -> int:
    if not 2000 <= start_year <= 2100:
        raise Http404("No such financial year")
    return start_year


def year_or_unsaved(start_year: int) -> FinancialYear:
    """The financial year, or an unsaved one (not yet opened: no money in it) so pages can still show it."""
    return FinancialYear.objects.filter(start_year=start_year).first() or FinancialYear(start_year=start_year)


def year_or_404(start_year: int) -> FinancialYear:
    year = FinancialYear.objects.filter(start_year=plausible_year(start_year)).first()
    if year is None:
        raise Http404("That financial year has not been opened")
    return year


def year_choices(*around: int) -> list[int]:
    """Years for a year picker: every year opened, and those given (one query)."""
    return sorted(set(selectors.financial_years().values_list("start_year", flat=True)) | set(around))


def own_paid(position, by_id) -> Decimal:
    """What was paid from the fund itself, not its sub-funds (positions roll sub-funds up)."""
    return position.paid - sum((by_id[pk].paid for pk in position.child_ids), ZERO)


def with_year(url: str, year) -> str:
    start = year.start_year if hasattr(year, "start_year") else year
    return f"{url}?year={start}"


def fund_url(fund, year) -> str:
    return with_year(reverse("funds:fund_detail", args=[fund.pk]), year)


def commitment_url(commitment, anchor: str = "") -> str:
    return reverse("funds:commitment_detail", args=[commitment.pk]) + (f"#{anchor}" if anchor else "")
