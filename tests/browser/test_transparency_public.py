"""The public transparency pages, signed out: axe-clean, no sideways scrolling at 320 px, and only published
records shown (issue 12, point 4). The role × URL matrix lists them as 200 for anonymous visitors, so
test_every_page_axe.py checks them too; this file is the quick check of just these pages."""

import pytest
from django.urls import reverse

from commissioning.agreements.models import Agreement
from commissioning.agreements.tests.factories import AgreementFactory
from commissioning.grants.tests.factories import AcceptedAwardFactory
from commissioning.strategy.tests.factories import DecisionRecordFactory
from commissioning.transparency.tests.url_matrix import setup as matrix_setup

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = (
    "transparency:index",
    "transparency:grants",
    "transparency:contracts",
    "transparency:funding",
    "transparency:decisions",
)
WIDEST = """() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"""


def test_public_pages_signed_out_are_accessible_and_reflow(page, live_server, users, axe_check):
    world = type("World", (), {"users": users})()
    matrix_setup(world)
    AcceptedAwardFactory(application__project_title="Published community project")
    AgreementFactory(
        kind=Agreement.Kind.CONTRACT,
        value=90000,
        service__name="Secret refuge contract",
        decision=DecisionRecordFactory(publishable=False, not_publishable_reason="A refuge's address"),
    )
    urls = [reverse(name) for name in PAGES] + [reverse("transparency:decision", args=[world.public_decision.pk])]
    for width in (1024, 320):
        page.set_viewport_size({"width": width, "height": 900})
        for url in urls:
            page.goto(live_server.url + url)
            assert page.locator("h1").count() == 1, url
            assert "Open Government Licence v3.0" in page.content(), url
            assert "Secret refuge contract" not in page.content(), url
            assert page.evaluate(WIDEST), f"{url} scrolls sideways at {width}px"
            if width == 1024:
                axe_check(page)
    page.goto(live_server.url + reverse("transparency:grants"))
    assert "Published community project" in page.content()
    page.goto(live_server.url + reverse("transparency:contracts"))
    assert "Matrix published contract service" in page.content()
    assert "Bank details" in page.content()
