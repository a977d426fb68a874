"""What the apps' page tests share: a page's shape (one h1, no id used twice), its text, and a GOV.UK date's
boxes as posted."""

import datetime as dt
import re
from collections import Counter
from html.parser import HTMLParser


class PageShape(HTMLParser):
    """Counts a page's h1 elements and how often each id is used."""

    def __init__(self):
        super().__init__()
        self.h1 = 0
        self.ids = Counter()

    def handle_starttag(self, tag, attrs):
        self.h1 += tag == "h1"
        for name, value in attrs:
            if name == "id":
                self.ids[value] += 1


def assert_well_formed(response):
    """The page is a 200 with exactly one h1 and unique ids."""
    assert response.status_code == 200, response.status_code
    shape = PageShape()
    shape.feed(response.content.decode())
    assert shape.h1 == 1, "a page has exactly one h1"
    assert not [i for i, n in shape.ids.items() if n > 1], "ids are unique"


def text(response) -> str:
    """The page's HTML with its whitespace collapsed."""
    return re.sub(r"\s+", " ", response.content.decode())


def date_fields(name: str, day: dt.date | None) -> dict:
    """The day, month and year boxes of a GOV.UK date input as posted; None leaves them empty."""
    if day is None:
        return {f"{name}_day": "", f"{name}_month": "", f"{name}_year": ""}
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}
