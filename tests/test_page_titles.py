"""Page titles (WCAG 2.4.2): every page of the role × URL matrix, opened by a role allowed to see it, has a title
that tells it apart from every other page; a page about a record names the record; a list's later pages say which
page they are ("(page 2 of 7)"); the home page's title is its heading.

The world is the matrix's (tests/matrix.py), so every URL pattern with a page is visited.
"""

import html
import re

import pytest
from django.db import models
from django.test import Client

from commissioning.core import shortcuts
from commissioning.testing.matrix import ANONYMOUS
from tests.matrix import CASES, build_world, case_url, permitted_role

TITLE = re.compile(r"<title>(.*?)</title>", re.S)
H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
TAGS = re.compile(r"<[^>]+>")

# Pages about a record that need not name it, and why.
RECORD_TITLE_EXCEPTIONS = {
    # The link in a password-reset e-mail: the person is not signed in and the record is their own account.
    "accounts:password_reset_confirm",
}


def _text(fragment: str) -> str:
    return " ".join(html.unescape(TAGS.sub("", fragment)).split())


def _title(response) -> str:
    found = TITLE.search(response.content.decode())
    assert found, f"{response.request['PATH_INFO']} has no <title>"
    return _text(found.group(1))


def _labels(record) -> set[str]:
    """The ways a title may name a record: its str() (or the part before a colon), its name, title, reference or
    code, and "<kind> <number>" ("variation 2")."""
    texts = [str(record), str(record).split(":")[0]]
    texts += [
        getattr(record, attr, "") for attr in ("name", "title", "reference", "code", "display_name", "project_title")
    ]
    if getattr(record, "number", None) is not None:
        texts.append(f"{str(record._meta.verbose_name).split()[-1]} {record.number}")
    return {str(text) for text in texts if text and len(str(text)) >= 4}


def _record_names(world) -> set[str]:
    """Text that names one of the world's records or a record it belongs to (two foreign keys away)."""
    names, seen, todo = set(), set(), [(world, 0)]
    while todo:
        item, depth = todo.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, models.Model):
            item.refresh_from_db()
            names |= _labels(item)
            if depth < 2:
                for field in item._meta.concrete_fields:
                    if field.is_relation and getattr(item, field.attname) is not None:
                        todo.append((getattr(item, field.name), depth + 1))
        elif isinstance(item, dict):
            todo.extend((value, depth) for value in item.values())
        elif hasattr(item, "__dict__") and not callable(item):
            todo.extend((value, depth) for value in vars(item).values())
    return names


def _client(clients, world, who):
    if who not in clients:
        clients[who] = Client()
        if who != ANONYMOUS:
            clients[who].force_login(world.users[who])
    return clients[who]


@pytest.fixture
def world(users):
    return build_world(users)


def _pages(world):
    """(case, role, response) for each case someone may open as an HTML page."""
    clients = {}
    for case in CASES:
        who = permitted_role(case)
        if who is None:
            continue  # a POST-only action: no page of its own
        response = _client(clients, world, who).get(case_url(case, world))
        assert response.status_code == 200, (case.url_name, who, response.status_code)
        if not response["Content-Type"].startswith("text/html"):
            continue  # a download
        yield case, who, response, clients[who]


@pytest.mark.django_db
def test_every_page_has_its_own_title_and_record_pages_name_their_record(world, monkeypatch):
    # One row a page, so every list with two rows in the world has a page 2.
    monkeypatch.setattr(shortcuts, "PAGE_SIZE", 1)
    names = _record_names(world)
    pages_by_title: dict[str, set] = {}
    unnamed, no_page_number, checked, second_pages = [], [], 0, set()
    for case, _who, response, client in _pages(world):
        checked += 1
        kwargs = case.kwargs(world)
        title = _title(response)
        pages_by_title.setdefault(title, set()).add((case.url_name, tuple(sorted(kwargs.items()))))
        if kwargs and case.url_name not in RECORD_TITLE_EXCEPTIONS and not any(name in title for name in names):
            unnamed.append(f"{case.url_name}: {title!r}")
        page = response.context.get("page") if response.context else None
        if getattr(page, "paginator", None) is not None and page.paginator.num_pages > 1:
            url = case_url(case, world)
            second = client.get(url + ("&" if "?" in url else "?") + "page=2")
            expected = f"(page 2 of {page.paginator.num_pages})"
            second_pages.add(case.url_name)
            if expected not in _title(second):
                no_page_number.append(f"{case.url_name}: {_title(second)!r}")
    shared = {title: sorted(pages) for title, pages in pages_by_title.items() if len(pages) > 1}
    problems = [f"Pages share the title {t!r}: {p}" for t, p in shared.items()]
    problems += [f"This page about a record does not name it: {page}" for page in unnamed]
    problems += [f"Page 2 of this list does not say so: {page}" for page in no_page_number]
    assert not problems, "\n".join(problems)
    # Every URL pattern with a page was opened, and the lists with more than one row showed a page 2.
    assert checked > 150, checked
    assert len(second_pages) >= 10, sorted(second_pages)


@pytest.mark.django_db
def test_home_page_title_is_its_heading(client_for):
    body = client_for("commissioning_manager").get("/").content.decode()
    heading = _text(H1.search(body).group(1))
    assert _text(TITLE.search(body).group(1)).startswith(f"{heading} – ")


@pytest.mark.django_db
def test_public_and_staff_pages_of_a_round_differ(client_for):
    from django.urls import reverse

    from commissioning.grants.tests.factories import OpenRoundFactory

    grant_round = OpenRoundFactory(name="Spring round")
    staff = _title(client_for("commissioning_manager").get(reverse("grants:round_detail", args=[grant_round.pk])))
    public = _title(Client().get(reverse("grants:round_public", args=[grant_round.pk])))
    assert "Spring round" in staff and "Spring round" in public
    assert staff != public
