"""Browser-test fixtures: pytest-playwright driving Debian's chromium, axe-core accessibility checks, and signing
in. A pytest plugin, registered in the root conftest.py, so tests/browser/ and every app's test_accessibility.py
use the same set-up.

A browser test module marks itself with `pytestmark = [*BROWSER, pytest.mark.django_db(transaction=True)]`
(tests/browser/conftest.py marks that folder's tests itself).
"""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls in these tests are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
NO_CHROMIUM = f"no chromium at {CHROMIUM}: run `make test`, which installs it"

# The marks of a browser test: `browser`, and skipped where there is no chromium.
BROWSER = [pytest.mark.browser, pytest.mark.skipif(not shutil.which(CHROMIUM), reason=NO_CHROMIUM)]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def axe_check():
    """axe_check(page) fails the test with axe-core's report when the page has any violation."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page):
        results = axe.run(page)
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"

    return check


@pytest.fixture
def sign_in(live_server):
    """sign_in(page, user) uses the real sign-in form."""
    from commissioning.accounts.tests.factories import TEST_PASSWORD

    def do(page, user, password=TEST_PASSWORD):
        page.goto(f"{live_server.url}/account/sign-in/")
        page.get_by_label("E-mail address").fill(user.email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()

    return do


@pytest.fixture
def signed_in(page, live_server):
    """signed_in(user) gives the browser a forced login's session, skipping the sign-in form (which sign_in and
    tests/browser cover)."""
    from django.conf import settings
    from django.test import Client

    def do(user):
        client = Client()
        client.force_login(user)
        page.context.clear_cookies()
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )

    return do


@pytest.fixture(autouse=True)
def _short_timeouts(request):
    """Fail fast: a page that has not shown an element in 10 seconds will not show it."""
    if "page" in request.fixturenames:
        request.getfixturevalue("page").set_default_timeout(10_000)
