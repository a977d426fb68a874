"""A strategy version is signed by the four signatories in the browser; a variation takes effect only after
the PCC and one other have signed (seed, Section 6). Every page visited passes axe-core."""

import datetime as dt

import pytest

from commissioning.accounts.roles import STRATEGY_SIGNATORIES, Role
from commissioning.strategy.models import SignOffStatus, StrategyVersion, Variation
from commissioning.strategy.tests.factories import StrategyDocumentFactory, StrategyVersionFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def document(users):
    document = StrategyDocumentFactory(title="Commissioning Strategy 2025 to 2029")
    StrategyVersionFactory(
        document=document,
        number=1,
        status=SignOffStatus.SIGNED,
        prepared_by=users["commissioning_manager"],
        in_force_from=dt.datetime(2025, 4, 1, tzinfo=dt.UTC),
        review_due_on=dt.date(2026, 4, 1),
    )
    return document


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def test_four_signatories_sign_a_version_in_the_browser(page, live_server, users, document, sign_in, axe_check):
    sign_in(page, users["commissioning_manager"])
    page.goto(f"{live_server.url}/strategy/documents/{document.pk}/")
    axe_check(page)
    page.get_by_role("button", name="Create version").click()
    page.get_by_label("Summary of changes").fill("Annual review for 2026")
    page.get_by_role("button", name="Create version").click()
    # Nothing typed is lost when the form is refused: the summary is still there with the error.
    assert "Enter the strategy text, or choose to start from the version in force" in page.content()
    assert page.get_by_label("Summary of changes").input_value() == "Annual review for 2026"
    axe_check(page)
    page.get_by_label("Start from the text of version 1, the version in force").check()
    page.get_by_role("button", name="Create version").click()
    version_url = page.url
    axe_check(page)
    page.get_by_role("button", name="Submit for sign-off").click()
    assert "Awaiting sign-off" in page.content()
    _sign_out(page)

    for number, role in enumerate(STRATEGY_SIGNATORIES, start=1):
        sign_in(page, users[role])
        # The version is waiting on their home page.
        page.get_by_role("link", name="version 2", exact=False).first.click()
        assert page.url == version_url
        axe_check(page)
        page.get_by_label("Comment").fill(f"Agreed by the {Role(role).label}")
        page.get_by_role("button", name=f"Sign as {Role(role).label}").click()
        version = StrategyVersion.objects.get(document=document, number=2)
        assert version.signatures.count() == number
        expected = SignOffStatus.SIGNED if number == 4 else SignOffStatus.AWAITING
        assert version.status == expected, (role, version.status)
        # A second signature by the same role is not offered.
        assert page.get_by_role("button", name=f"Sign as {Role(role).label}").count() == 0
        _sign_out(page)

    assert StrategyVersion.objects.get(document=document, number=1).status == SignOffStatus.SUPERSEDED
    sign_in(page, users["auditor"])
    page.goto(version_url)
    assert "Signed off and in force" in page.content()
    axe_check(page)


def test_variation_takes_effect_only_after_pcc_and_one_other(page, live_server, users, document, sign_in, axe_check):
    in_force = document.versions.get(number=1)
    sign_in(page, users["commissioning_manager"])
    page.goto(f"{live_server.url}/strategy/versions/{in_force.pk}/")
    page.get_by_role("button", name="Raise a variation").click()
    axe_check(page)
    page.get_by_label("Title").fill("Procurement Act 2023 replaces PCR 2015")
    page.get_by_label("Why the variation is needed").fill("New procurements start under the Act from February 2025")
    page.get_by_label("What changes").fill("Section 1 names the Procurement Act 2023 for new procurements")
    page.get_by_role("button", name="Raise a variation").click()
    variation_url = page.url
    page.get_by_role("button", name="Share for sign-off").click()
    axe_check(page)
    _sign_out(page)

    variation = Variation.objects.get(version=in_force)
    # Two signatures but neither is the PCC: not in effect.
    for role in (Role.CFO, Role.DIRECTOR_OPERATIONS):
        sign_in(page, users[role])
        page.goto(variation_url)
        page.get_by_role("button", name=f"Sign as {role.label}").click()
        variation.refresh_from_db()
        assert variation.status == Variation.Status.AWAITING
        _sign_out(page)

    sign_in(page, users[Role.PCC])
    page.goto(variation_url)
    axe_check(page)
    page.get_by_role("button", name=f"Sign as {Role.PCC.label}").click()
    variation.refresh_from_db()
    assert variation.status == Variation.Status.IN_EFFECT and variation.effective_from is not None
    assert "In effect" in page.content()
    axe_check(page)


def test_pcc_alone_does_not_make_a_variation_take_effect(page, live_server, users, document, sign_in):
    in_force = document.versions.get(number=1)
    variation = Variation.objects.create(
        version=in_force,
        number=1,
        title="Minor wording",
        reason="Clarity",
        change="Typo fixed",
        status=Variation.Status.AWAITING,
        raised_by=users["commissioning_manager"],
        shared_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
    )
    sign_in(page, users[Role.PCC])
    page.goto(f"{live_server.url}/strategy/variations/{variation.pk}/")
    page.get_by_role("button", name=f"Sign as {Role.PCC.label}").click()
    variation.refresh_from_db()
    assert variation.status == Variation.Status.AWAITING
    assert "takes effect only when" in page.content() or "PCC and one other" in page.content()
