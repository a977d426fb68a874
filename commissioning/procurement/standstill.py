"""The standstill period after a contract award notice: the contract may not be entered into until it ends.

- Procurement Act 2023, s51: "the period of eight working days beginning with the day on which the contract
  award notice is published". A working day is not a Saturday, a Sunday or a bank holiday in England and Wales
  (s123); bank holidays come from the `holidays` package (UK, England), so no list is kept here. When the
  notice is published on a working day that day is the first of the eight.
- Public Contracts Regulations 2015, reg 87: ten calendar days beginning with the day after the notice is sent
  (by electronic means), so the period ends ten days after the notice, whatever the weekday.

`standstill_ends` gives the last day of the period; the contract may be entered into from the next day
(`contract_may_be_signed_from`).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

from commissioning.procurement.models.config import Regime


@dataclass(frozen=True)
class StandstillRule:
    days: int
    working_days: bool
    source: str


RULES = {
    Regime.PA_2023: StandstillRule(8, True, "Procurement Act 2023, section 51"),
    Regime.PCR_2015: StandstillRule(10, False, "Public Contracts Regulations 2015, regulation 87"),
}


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: date) -> bool:
    """Not a weekend and not a bank holiday in England and Wales."""
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The `days`-th working day of a period beginning with `start` (start counts when it is a working day)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    day, counted = start, 0
    while True:
        if is_working_day(day):
            counted += 1
            if counted == days:
                return day
        day += timedelta(days=1)


def standstill_ends(*, regime: str, notice_on: date) -> date:
    """The last day of the standstill period that begins with the contract award notice on `notice_on`."""
    rule = RULES[Regime(regime)]
    if rule.working_days:
        return add_working_days(notice_on, rule.days)
    return notice_on + timedelta(days=rule.days)


def contract_may_be_signed_from(*, regime: str, notice_on: date) -> date:
    return standstill_ends(regime=regime, notice_on=notice_on) + timedelta(days=1)


def describe(regime: str) -> str:
    rule = RULES[Regime(regime)]
    kind = "working days" if rule.working_days else "calendar days"
    return f"{rule.days} {kind} ({rule.source})"
