"""The home page's areas: each a heading with the number of items waiting and the first few, each item linking to
the page where that work is done. Every count is one query and every list one more (none when the count is
nought), so the page's queries do not grow with the rows. The rules of who does what are the apps' own (their
rules.py and selectors); commissioning/home/selectors.py chooses, for each role, which areas come first.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet

from commissioning.core.dates import long_date

SHOWN = 5  # items listed under each area; the count says how many there are in all


@dataclass(frozen=True)
class Item:
    """One piece of work: a link to where it is done, a line about it, and a tag."""

    label: str
    url: str
    hint: str = ""
    tag: str = ""
    tag_colour: str = "blue"


@dataclass
class Area:
    """A heading on the home page with the number of items waiting and the first few of them."""

    key: str  # the heading's id, linked from the summary at the top
    title: str
    count: int
    items: list[Item] = field(default_factory=list)
    more_url: str = ""  # the full list, when there is a page for it
    empty: str = ""  # shown (and the area kept) when nothing is waiting; otherwise an empty area is left out
    work: bool = True  # work waiting for the person, counted in the summary; False for what they may look at

    @property
    def shown(self) -> bool:
        return bool(self.count or self.empty)

    @property
    def link(self) -> str:
        return self.more_url or f"#{self.key}"


def queue(queryset: QuerySet, make) -> tuple[int, list[Item]]:
    """How many rows, and the first few as items: one query, or two when there are any."""
    count = queryset.count()
    return count, ([make(row) for row in queryset[:SHOWN]] if count else [])


def due(day: dt.date, today: dt.date) -> tuple[str, str]:
    if day < today:
        return f"Overdue: was due {long_date(day)}", "red"
    return f"Due {long_date(day)}", "blue"
