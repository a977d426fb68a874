"""Reflow (WCAG 1.4.10): at 320 CSS pixels wide, and at 200% zoom on a 1280-pixel screen, the widest pages do not
scroll sideways; only a wide table (or chart) scrolls, inside its own focusable region named by its caption.

200% zoom is emulated as the browser does it: the window is 1280 device pixels wide and each CSS pixel is two
device pixels (Playwright's device_scale_factor=2), so the page lays out in 640 CSS pixels.
Screenshots are saved to REFLOW_SCREENSHOTS (a folder) when that is set, for a person to look at.
"""

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from commissioning.funds import services as fund_services
from tests.matrix import build_world

pytestmark = pytest.mark.django_db(transaction=True)

VIEWPORTS = {
    "320px": {"viewport": {"width": 320, "height": 900}, "device_scale_factor": 1},
    "1280px-at-200pc": {"viewport": {"width": 640, "height": 900}, "device_scale_factor": 2},
}


# The innermost elements that reach past the window's right edge, to say what makes a page too wide.
WIDEST = """() => {
  const limit = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')].filter(el => el.getBoundingClientRect().right > limit + 1
    && !(el.parentElement && el.parentElement.closest('.app-table-scroll, .app-chart-scroll')));
  return wide.filter(el => !wide.some(other => other !== el && el.contains(other)))
    .slice(0, 8)
    .map(el => `${el.tagName.toLowerCase()}.${el.className} (${Math.round(el.getBoundingClientRect().right)}px)`);
}"""


def _long_names(world):
    """Names as long as real ones, so the tables are as wide as the demo's."""
    service = world.service
    service.name = "Independent Sexual Violence Advisers and Children's Independent Sexual Violence Advisers"
    service.save()
    organisation = world.cofunder.organisation
    organisation.name = "Bournemouth, Christchurch and Poole Council Community Safety Partnership"
    organisation.save()
    pages = world.fund_pages
    fund_services.payment_record(
        actor=world.users["finance_officer"],
        commitment=pages.committed,
        amount=Decimal("2345.67"),
        paid_on=dt.date(pages.year.start_year, 7, 31),
        reference="PAYMENT-REFERENCE-FROM-THE-FINANCE-SYSTEM-0001",
    )


def _cookie(live_server, user):
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }


def test_wide_pages_do_not_scroll_sideways(browser, live_server, users):
    world = build_world(users)
    _long_names(world)
    pages = [
        ("commissioning_manager", "services", reverse("agreements:service_list")),
        ("finance_officer", "dashboard", reverse("funds:dashboard") + f"?year={world.fund_pages.year.start_year}"),
        ("finance_officer", "payments", reverse("funds:payment_list")),
        ("commissioning_manager", "service", reverse("agreements:service_detail", args=[world.service.pk])),
    ]
    shots = os.environ.get("REFLOW_SCREENSHOTS")
    failures = []
    for size, options in VIEWPORTS.items():
        context = browser.new_context(**options)
        page = context.new_page()
        for role, name, path in pages:
            context.clear_cookies()
            context.add_cookies([_cookie(live_server, users[role])])
            page.goto(live_server.url + path)
            widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            if widths[0] > widths[1]:
                failures.append(
                    f"{name} at {size}: the page is {widths[0]}px wide in a {widths[1]}px window; too wide: "
                    + ", ".join(page.evaluate(WIDEST))
                )
            # Every region that scrolls can be reached from the keyboard and is named.
            for region in page.locator(".app-table-scroll, .app-chart-scroll").all():
                assert region.get_attribute("tabindex") == "0"
                assert region.get_attribute("role") == "region"
                labelled_by = region.get_attribute("aria-labelledby")
                assert page.locator(f"#{labelled_by}").count() == 1, labelled_by
            if shots:
                Path(shots).mkdir(parents=True, exist_ok=True)
                page.screenshot(path=f"{shots}/{name}-{size}.png", full_page=True)
        context.close()
    assert not failures, "\n".join(failures)


def test_a_wide_table_scrolls_in_its_own_region(browser, live_server, users):
    """At 320px the services table is wider than its region, so the region (not the page) scrolls."""
    world = build_world(users)
    _long_names(world)
    context = browser.new_context(**VIEWPORTS["320px"])
    context.add_cookies([_cookie(live_server, users["commissioning_manager"])])
    page = context.new_page()
    page.goto(live_server.url + reverse("agreements:service_list"))
    region = page.locator(".app-table-scroll").first
    scroll, client = region.evaluate("(el) => [el.scrollWidth, el.clientWidth]")
    assert scroll > client
    assert region.get_attribute("aria-labelledby")
    # A keyboard user scrolls it: focus the region and press the right arrow (the scroll may be animated).
    region.focus()
    page.keyboard.press("ArrowRight")
    region.evaluate("(el) => new Promise(done => setTimeout(done, 500))")
    assert region.evaluate("(el) => el.scrollLeft") > 0
    context.close()
