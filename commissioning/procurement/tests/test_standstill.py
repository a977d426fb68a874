"""Standstill end dates, checked against dates worked out by hand from the calendar (the working in each case's
comment), not by the code under test."""

from datetime import date

import pytest

from commissioning.procurement.models import Regime
from commissioning.procurement.standstill import (
    add_working_days,
    contract_may_be_signed_from,
    describe,
    is_working_day,
    standstill_ends,
)

PA, PCR = Regime.PA_2023, Regime.PCR_2015


@pytest.mark.parametrize(
    ("notice_on", "ends", "why"),
    [
        # Monday 7 December 2026: Mon-Fri 7-11 (5), Mon-Wed 14-16 (8).
        (date(2026, 12, 7), date(2026, 12, 16), "two ordinary weeks"),
        # Saturday 5 December 2026: the weekend does not count; Mon 7 is day 1, so the same as above.
        (date(2026, 12, 5), date(2026, 12, 16), "published on a Saturday"),
        (date(2026, 12, 6), date(2026, 12, 16), "published on a Sunday"),
        # Friday 18 December 2026: Fri 18 (1), Mon-Thu 21-24 (5); Fri 25 Christmas, Mon 28 Boxing Day observed;
        # Tue 29 (6), Wed 30 (7), Thu 31 (8).
        (date(2026, 12, 18), date(2026, 12, 31), "across Christmas"),
        # Tuesday 22 December 2026: Tue-Thu 22-24 (3); 25 and 28 off; Tue-Thu 29-31 (6); Fri 1 January 2027 off;
        # Mon 4 (7), Tue 5 (8).
        (date(2026, 12, 22), date(2027, 1, 5), "across Christmas and New Year"),
        # Thursday 24 December 2026: Thu 24 (1); Tue-Thu 29-31 (4); Mon-Thu 4-7 January 2027 (8).
        (date(2026, 12, 24), date(2027, 1, 7), "Christmas Eve"),
        # Friday 25 December 2026 (Christmas Day): first working day Tue 29 (1), 30, 31 (3), 4-8 January (8).
        (date(2026, 12, 25), date(2027, 1, 8), "published on Christmas Day"),
        # Tuesday 23 March 2027: Tue-Thu 23-25 (3); Fri 26 Good Friday, Mon 29 Easter Monday off; Tue 30 (4),
        # Wed 31 (5), Thu 1 April (6), Fri 2 (7), Mon 5 (8).
        (date(2027, 3, 23), date(2027, 4, 5), "across Easter 2027"),
        # Wednesday 1 April 2026: Wed, Thu 1-2 (2); Fri 3 Good Friday; Mon 6 Easter Monday; Tue-Fri 7-10 (6);
        # Mon 13 (7), Tue 14 (8).
        (date(2026, 4, 1), date(2026, 4, 14), "across Easter 2026"),
        # Friday 22 May 2026: Fri 22 (1); Mon 25 Spring Bank Holiday; Tue-Fri 26-29 (5); Mon-Wed 1-3 June (8).
        (date(2026, 5, 22), date(2026, 6, 3), "across the Spring Bank Holiday"),
    ],
)
def test_act_standstill_is_eight_working_days(notice_on, ends, why):
    assert standstill_ends(regime=PA, notice_on=notice_on) == ends, why


@pytest.mark.parametrize(
    ("notice_on", "ends"),
    [
        (date(2024, 12, 7), date(2024, 12, 17)),  # Saturday: weekends count under PCR 2015
        (date(2024, 12, 20), date(2024, 12, 30)),  # across Christmas: bank holidays count too
        (date(2024, 12, 27), date(2025, 1, 6)),  # across New Year
        (date(2024, 3, 25), date(2024, 4, 4)),  # across Easter 2024 (29 March - 1 April)
        (date(2024, 2, 25), date(2024, 3, 6)),  # a leap year's February
    ],
)
def test_pcr_standstill_is_ten_calendar_days(notice_on, ends):
    assert standstill_ends(regime=PCR, notice_on=notice_on) == ends


def test_contract_may_be_signed_the_day_after_the_period_ends():
    assert contract_may_be_signed_from(regime=PA, notice_on=date(2026, 12, 22)) == date(2027, 1, 6)
    assert contract_may_be_signed_from(regime=PCR, notice_on=date(2024, 12, 20)) == date(2024, 12, 31)


def test_working_days():
    assert not is_working_day(date(2026, 12, 28))  # Boxing Day observed
    assert not is_working_day(date(2026, 12, 5))  # Saturday
    assert is_working_day(date(2026, 12, 29))
    assert add_working_days(date(2026, 12, 7), 1) == date(2026, 12, 7)
    with pytest.raises(ValueError):
        add_working_days(date(2026, 12, 7), 0)


def test_described_for_people():
    assert describe(PA) == "8 working days (Procurement Act 2023, section 51)"
    assert describe(PCR) == "10 calendar days (Public Contracts Regulations 2015, regulation 87)"
