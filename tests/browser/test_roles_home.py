"""Every role signs in through the real form and sees its home page; each page visited passes axe-core."""

import pytest

from commissioning.accounts.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_each_role_signs_in_and_sees_home(page, live_server, users, sign_in, axe_check, role):
    user = users[role]
    sign_in(page, user)
    assert page.locator("h1").inner_text() == f"Welcome, {user.display_name}"
    assert user.role_label in page.locator(".govuk-caption-l").inner_text()
    axe_check(page)


def test_navigation_shown_follows_role(page, live_server, users, sign_in):
    sign_in(page, users["admin"])
    assert page.locator("#navigation").get_by_role("link", name="People").count() == 1
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, users["provider"])
    assert page.locator("#navigation").get_by_role("link", name="People").count() == 0
    assert page.locator("#navigation").get_by_role("link", name="Organisations").count() == 0


def test_public_pages_pass_axe(page, live_server, axe_check):
    for path in [
        "/account/sign-in/",
        "/accessibility/",
        "/privacy/",
        "/cookies/",
        "/account/password-reset/",
        "/no-such-page/",
    ]:
        page.goto(f"{live_server.url}{path}")
        axe_check(page)


def test_sign_in_error_summary(page, live_server, users, axe_check):
    page.goto(f"{live_server.url}/account/sign-in/")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    assert "Enter your e-mail address" in summary.inner_text()
    assert page.title().startswith("Error: ")
    axe_check(page)


def test_pages_work_without_javascript(browser, live_server, users):
    from commissioning.accounts.tests.factories import TEST_PASSWORD

    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/account/sign-in/")
    page.get_by_label("E-mail address").fill(users["pcc"].email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert "Welcome" in page.locator("h1").inner_text()
    context.close()
