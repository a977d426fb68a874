"""Browser tests: pytest-playwright driving Debian's chromium, with axe-core accessibility checks."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls in these tests are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if not shutil.which(CHROMIUM):
                item.add_marker(
                    pytest.mark.skip(reason=f"no chromium at {CHROMIUM}: run `make test`, which installs it")
                )


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


@pytest.fixture(autouse=True)
def _short_timeouts(request):
    """Fail fast: a page that has not shown an element in 10 seconds will not show it."""
    if "page" in request.fixturenames:
        request.getfixturevalue("page").set_default_timeout(10_000)
