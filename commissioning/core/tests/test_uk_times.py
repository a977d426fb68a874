"""Times that do not exist, or exist twice, in UK time (issue 13 point 5): the clocks go forward at 1am on
28 March 2027 (1:30am never happens) and back at 2am on 25 October 2026 (1:30am happens twice)."""

import datetime as dt

import pytest
from django import forms

from commissioning.core.forms import GovukDateField
from commissioning.core.uk_times import FIRST, SECOND, UkTimeError, UkTimesMixin, parse_time, uk_datetime

SPRING, AUTUMN = dt.date(2027, 3, 28), dt.date(2026, 10, 25)


def test_a_time_the_clocks_skip_is_refused():
    with pytest.raises(UkTimeError) as caught:
        uk_datetime(SPRING, dt.time(1, 30))
    assert caught.value.code == "missing"
    assert caught.value.message == (
        "1:30am on 28 March 2027 does not exist in UK time: the clocks go forward from 1am to 2am. "
        "Enter a time before 1am or from 2am"
    )
    for edge in (dt.time(1, 0), dt.time(1, 59)):
        with pytest.raises(UkTimeError):
            uk_datetime(SPRING, edge)
    assert uk_datetime(SPRING, dt.time(0, 59)).astimezone(dt.UTC) == dt.datetime(2027, 3, 28, 0, 59, tzinfo=dt.UTC)
    assert uk_datetime(SPRING, dt.time(2, 0)).astimezone(dt.UTC) == dt.datetime(2027, 3, 28, 1, 0, tzinfo=dt.UTC)


def test_a_time_that_happens_twice_needs_saying_which():
    with pytest.raises(UkTimeError) as caught:
        uk_datetime(AUTUMN, dt.time(1, 30))
    assert caught.value.code == "ambiguous"
    first = uk_datetime(AUTUMN, dt.time(1, 30), which=FIRST)
    second = uk_datetime(AUTUMN, dt.time(1, 30), which=SECOND)
    assert first.astimezone(dt.UTC) == dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)  # BST
    assert second.astimezone(dt.UTC) == dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC)  # GMT
    assert (first.tzname(), second.tzname()) == ("BST", "GMT")
    assert uk_datetime(AUTUMN, dt.time(0, 59)).tzname() == "BST"
    assert uk_datetime(AUTUMN, dt.time(2, 0)).tzname() == "GMT"


def test_times_people_type():
    assert parse_time("5pm") == dt.time(17)
    assert parse_time("1:30am") == dt.time(1, 30)
    assert parse_time("12am") == dt.time(0)
    for bad in ("25:00", "13pm", "١:٣٠", "half one"):
        with pytest.raises(ValueError):
            parse_time(bad)


class ClosingForm(UkTimesMixin, forms.Form):
    uk_times = (("closes_at", "closes_time"),)
    closes_at = GovukDateField(label="Date it closes")
    closes_time = forms.CharField(label="Time it closes")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_clock_change_questions()

    def clean(self):
        return self.combine_uk_times(super().clean())


def posted(day: dt.date, time: str, **extra) -> dict:
    return {
        "closes_at_day": day.day,
        "closes_at_month": day.month,
        "closes_at_year": day.year,
        "closes_time": time,
        **extra,
    }


def test_the_form_refuses_a_skipped_time_by_the_time_box():
    form = ClosingForm(posted(SPRING, "1:30am"))
    assert not form.is_valid()
    assert form.errors["closes_time"][0].startswith("1:30am on 28 March 2027 does not exist in UK time")
    assert "closes_at_which" not in form.fields


def test_the_form_asks_which_only_when_the_time_happens_twice():
    assert "closes_at_which" not in ClosingForm().fields
    assert "closes_at_which" not in ClosingForm(posted(AUTUMN, "3am")).fields
    form = ClosingForm(posted(AUTUMN, "01:30"))
    assert list(form.fields) == ["closes_at", "closes_time", "closes_at_which"]
    assert form.fields["closes_at_which"].label == "Which 1:30am on 25 October 2026?"
    assert [label for _, label in form.fields["closes_at_which"].choices] == [
        "1:30am British Summer Time (BST), the first 1:30am",
        "1:30am Greenwich Mean Time (GMT), the second 1:30am, an hour later",
    ]
    assert not form.is_valid()
    assert form.errors["closes_at_which"] == ["Select which 1:30am you mean"]
    answered = ClosingForm(posted(AUTUMN, "01:30", closes_at_which=SECOND))
    assert answered.is_valid(), answered.errors
    assert answered.cleaned_data["closes_at"].astimezone(dt.UTC) == dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC)
