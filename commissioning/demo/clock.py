"""The demo's clock: the story is played through the services on the days it happened.

The services date what they record from `django.utils.timezone.now()` (submitted_at, signed_on, history dates,
auto_now fields) and refuse what is out of time (applying to a closed round, publishing a round that has
closed). To make last year's round as a user would have made it, the demo sets the clock back while it calls
the services, then puts it right. Only the demo uses this (setup_demo, which runs with DEBUG on); it never sets
the clock into the future.
"""

import datetime as dt
from contextlib import contextmanager

from django.utils import timezone

_real_now = timezone.now


def moment(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    """An aware datetime on `day` at hour:minute, London time."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


@contextmanager
def clock_at(when: dt.datetime | dt.date):
    """Within the block, timezone.now() (and so localdate()) is `when`, moving on as real time does. A date means
    10:00 that day. Refused (ValueError) for a moment in the future."""
    if not isinstance(when, dt.datetime):
        when = moment(when)
    started = _real_now()
    if when > started:
        raise ValueError(f"The demo clock cannot be set into the future ({when:%Y-%m-%d %H:%M})")
    previous = timezone.now
    timezone.now = lambda: when + (_real_now() - started)
    try:
        yield when
    finally:
        timezone.now = previous


@contextmanager
def mail_kept_in_memory():
    """E-mail sent by the services while the demo is made stays in memory (demo addresses are .invalid)."""
    from django.test.utils import override_settings

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        yield
