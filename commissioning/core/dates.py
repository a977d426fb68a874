"""Financial years run 1 April to 31 March and are written 2025/26 (DOMAIN.md)."""

import calendar
import datetime as dt
import re
from dataclasses import dataclass

FY_PATTERN = re.compile(r"^(\d{4})/(\d{2})$")


@dataclass(frozen=True, order=True)
class FinancialYear:
    start_year: int

    @classmethod
    def for_date(cls, day: dt.date) -> "FinancialYear":
        return cls(day.year if day.month >= 4 else day.year - 1)

    @classmethod
    def parse(cls, label: str) -> "FinancialYear":
        match = FY_PATTERN.match(label.strip())
        if not match:
            raise ValueError(f"{label!r} is not a financial year like 2025/26")
        start = int(match.group(1))
        if (start + 1) % 100 != int(match.group(2)):
            raise ValueError(f"{label!r} is not a financial year: the second part must be the next year")
        return cls(start)

    @property
    def starts_on(self) -> dt.date:
        return dt.date(self.start_year, 4, 1)

    @property
    def ends_on(self) -> dt.date:
        return dt.date(self.start_year + 1, 3, 31)

    @property
    def label(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    def __str__(self) -> str:
        return self.label

    def next(self) -> "FinancialYear":
        return FinancialYear(self.start_year + 1)


def long_date(day: dt.date) -> str:
    """24 November 2026, as dates are shown everywhere (ARCHITECTURE.md)."""
    return f"{day.day} {day:%B %Y}"


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day so many months on, held to the month's last day (31 January + 1 month = 28/29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
