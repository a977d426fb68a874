"""axe-core on every page of the role × URL matrix (issue 14): each URL pattern is opened in one browser by a role
allowed to see it, with the matrix's world (tests/matrix.py) putting records in the states the pages need —
variations to sign, reviews to decide, commitments to approve, repayments, round questions and criteria, scoring
and moderation, awards to accept, innovation entries — so no page goes unchecked because no demo record reaches it.

POST-only actions (a button, no page of their own) and file downloads have no HTML to check; the test lists them
and fails if any other URL pattern is left out.
"""

import pytest
from django.conf import settings
from django.test import Client

from commissioning.testing.matrix import ANONYMOUS
from tests.matrix import CASES, build_world, case_url, permitted_role, url_names

pytestmark = pytest.mark.django_db(transaction=True)


def test_axe_on_every_url_pattern(page, live_server, users, axe_check):
    world = build_world(users)
    clients = {}

    def client_for(who):
        if who not in clients:
            clients[who] = Client()
            if who != ANONYMOUS:
                clients[who].force_login(users[who])
        return clients[who]

    checked, no_page, downloads, failures = set(), set(), set(), []
    signed_in_as = None
    for case in sorted(CASES, key=lambda case: permitted_role(case) or ""):
        who = permitted_role(case)
        if who is None:
            no_page.add(case.url_name)  # POST-only: a GET gets 405 from everyone allowed
            continue
        url = case_url(case, world)
        response = client_for(who).get(url)
        if not response["Content-Type"].startswith("text/html"):
            downloads.add(case.url_name)
            continue
        if who != signed_in_as:
            page.context.clear_cookies()
            if who != ANONYMOUS:
                page.context.add_cookies(
                    [
                        {
                            "name": settings.SESSION_COOKIE_NAME,
                            "value": client_for(who).cookies[settings.SESSION_COOKIE_NAME].value,
                            "url": live_server.url,
                        }
                    ]
                )
            signed_in_as = who
        page.goto(live_server.url + url)
        if page.locator("h1").count() != 1:
            failures.append(f"{url} as {who}: {page.locator('h1').count()} h1 elements")
        try:
            axe_check(page)
        except AssertionError as exc:
            failures.append(f"{case.url_name} as {who}: {exc}")
        checked.add(case.url_name)

    every = set(url_names())
    no_page -= checked
    downloads -= checked
    left_out = every - checked - no_page - downloads
    print(
        f"\naxe checked {len(checked)} of {len(every)} URL patterns; "
        f"{len(no_page)} are POST-only actions ({', '.join(sorted(no_page))}); "
        f"{len(downloads)} are downloads ({', '.join(sorted(downloads))})"
    )
    assert not failures, "\n\n".join(failures)
    assert not left_out, f"URL patterns no role opened: {sorted(left_out)}"
    assert len(checked) + len(no_page) + len(downloads) == len(every)
