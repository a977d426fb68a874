"""Times of day in UK time (Europe/London) for forms: parsing, and refusing or asking about the times the
clocks skip or repeat."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

from django import forms

# --- Times of day in UK time (Europe/London), at the clock changes too ---------------------------------------

UK = ZoneInfo("Europe/London")
TIME_PATTERN = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$", re.IGNORECASE | re.ASCII)
FIRST, SECOND = "first", "second"


def parse_time(value: str) -> dt.time:
    """17:00, 5pm, 5:30pm, 9.15am (12pm is midday, 12am midnight). Raises ValueError."""
    match = TIME_PATTERN.match((value or "").strip().replace(" ", ""))
    if not match:
        raise ValueError(value)
    hour, minute, suffix = int(match.group(1)), int(match.group(2) or 0), (match.group(3) or "").lower()
    if suffix:
        if not 1 <= hour <= 12:
            raise ValueError(value)
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise ValueError(value)
    return dt.time(hour, minute)


def clock_text(time: dt.time) -> str:
    """1:30am, 5pm, midday, midnight."""
    if (time.hour, time.minute) == (0, 0):
        return "midnight"
    if (time.hour, time.minute) == (12, 0):
        return "midday"
    hour, suffix = time.hour % 12 or 12, "am" if time.hour < 12 else "pm"
    return f"{hour}{suffix}" if time.minute == 0 else f"{hour}:{time.minute:02d}{suffix}"


def _exists(naive: dt.datetime) -> bool:
    aware = naive.replace(tzinfo=UK)
    return aware.astimezone(dt.UTC).astimezone(UK).replace(tzinfo=None) == naive


def _is_ambiguous(naive: dt.datetime) -> bool:
    """True for a time that happens twice (zoneinfo gives the two a different offset, as it does a skipped one)."""
    return _exists(naive) and (
        naive.replace(tzinfo=UK, fold=0).utcoffset() != naive.replace(tzinfo=UK, fold=1).utcoffset()
    )


def _change_of(day: dt.date, test) -> tuple[dt.time, dt.time]:
    """The first minute on `day` for which test(minute) holds, and the minute after the last."""
    minutes = [dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=m) for m in range(24 * 60)]
    hits = [m for m in minutes if test(m)]
    return hits[0].time(), (hits[-1] + dt.timedelta(minutes=1)).time()


class UkTimeError(ValueError):
    """A local time that does not exist (`code` "missing") or exists twice ("ambiguous") on a clock-change day."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message, self.code = message, code


def uk_datetime(day: dt.date, time: dt.time, *, which: str | None = None) -> dt.datetime:
    """The moment `time` on `day` in UK time. Refused (UkTimeError) when the clocks going forward skip it
    (1:30am on 28 March 2027), and, when they go back so it happens twice (1:30am on 25 October 2026), unless
    `which` says FIRST (British Summer Time) or SECOND (Greenwich Mean Time)."""
    naive = dt.datetime.combine(day, time)
    when = f"{clock_text(time)} on {day.day} {day:%B %Y}"
    if not _exists(naive):
        start, end = _change_of(day, lambda m: not _exists(m))
        raise UkTimeError(
            f"{when} does not exist in UK time: the clocks go forward from {clock_text(start)} to "
            f"{clock_text(end)}. Enter a time before {clock_text(start)} or from {clock_text(end)}",
            "missing",
        )
    if _is_ambiguous(naive):
        if which == FIRST:
            return naive.replace(tzinfo=UK, fold=0)
        if which == SECOND:
            return naive.replace(tzinfo=UK, fold=1)
        raise UkTimeError(
            f"{when} happens twice in UK time, as the clocks go back an hour. Select whether you mean the first "
            f"{clock_text(time)} (British Summer Time) or the second, an hour later (Greenwich Mean Time)",
            "ambiguous",
        )
    return naive.replace(tzinfo=UK)


def which_field_name(date_field: str) -> str:
    return f"{date_field}_which"


class UkTimesMixin:
    """For a form with a GovukDateField and a time box per moment (`uk_times` = ((date field, time field), ...)):
    cleaning gives the date field the moment in UK time. A time skipped by the clocks going forward is refused
    with a GOV.UK message by the time; a time that happens twice, as they go back, gets a question, shown only
    then: "Which 1:30am?" BST (the first) or GMT (the second)."""

    uk_times: tuple[tuple[str, str], ...] = ()

    def add_clock_change_questions(self) -> None:
        if not self.is_bound:
            return
        for date_field, time_field in self.uk_times:
            if date_field not in self.fields or time_field not in self.fields:
                continue
            day, time = self._raw_day_and_time(date_field, time_field)
            if day is None or time is None or not _is_ambiguous(dt.datetime.combine(day, time)):
                continue
            name, label = which_field_name(date_field), clock_text(time)
            field = forms.ChoiceField(
                label=f"Which {label} on {day.day} {day:%B %Y}?",
                widget=forms.RadioSelect,
                choices=[
                    (FIRST, f"{label} British Summer Time (BST), the first {label}"),
                    (SECOND, f"{label} Greenwich Mean Time (GMT), the second {label}, an hour later"),
                ],
                help_text="The clocks go back an hour that night, so this time happens twice",
                error_messages={
                    "required": f"Select which {label} you mean",
                    "invalid_choice": f"Select which {label} you mean",
                },
            )
            fields = list(self.fields.items())
            at = [key for key, _ in fields].index(time_field) + 1
            self.fields = dict([*fields[:at], (name, field), *fields[at:]])

    def _raw_day_and_time(self, date_field: str, time_field: str):
        try:
            parts = self.fields[date_field].widget.value_from_datadict(
                self.data, self.files, self.add_prefix(date_field)
            )
            day = dt.date(*(int(part) for part in reversed(parts)))
            time = parse_time(self.data.get(self.add_prefix(time_field), ""))
        except (TypeError, ValueError):
            return None, None
        return day, time

    def combine_uk_times(self, cleaned: dict) -> dict:
        """Put each moment in cleaned[date field] (aware, UK time), or an error on the time or the question."""
        for date_field, time_field in self.uk_times:
            if time_field not in self.fields:
                continue
            raw = cleaned.pop(time_field, None)
            which = cleaned.pop(which_field_name(date_field), None)
            time = None
            if raw:
                try:
                    time = parse_time(raw)
                except ValueError:
                    self.add_error(time_field, "Enter a time, like 5pm or 17:00")
            day = cleaned.get(date_field)
            if not (day and time):
                cleaned.pop(date_field, None)
                continue
            try:
                cleaned[date_field] = uk_datetime(day, time, which=which)
            except UkTimeError as error:
                cleaned.pop(date_field, None)
                asked = which_field_name(date_field) in self.fields
                if error.code == "ambiguous" and asked:
                    if which_field_name(date_field) not in self.errors:
                        self.add_error(which_field_name(date_field), f"Select which {clock_text(time)} you mean")
                else:
                    self.add_error(time_field, error.message)
        return cleaned
