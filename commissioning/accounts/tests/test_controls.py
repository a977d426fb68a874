"""Controls on signing in (issue 9, point 5): the client's address behind a trusted proxy (so a lockout hits the
person failing, not everyone behind the proxy), password-reset throttling, and a sign-in form sent twice."""

import pytest
from django.core import mail
from django.core.cache import caches
from django.test import Client, RequestFactory
from django.urls import reverse

from commissioning.accounts.tests.factories import TEST_PASSWORD, UserFactory
from commissioning.core.throttle import client_ip, throttled

pytestmark = pytest.mark.django_db

SIGN_IN = "/account/sign-in/"


def _request(remote="127.0.0.1", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


# --- The client's address ------------------------------------------------------------------------------------


def test_without_a_trusted_proxy_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request("203.0.113.9", forwarded="198.51.100.1")) == "203.0.113.9"


def test_behind_one_proxy_the_address_it_saw_is_used_not_what_the_client_wrote(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # nginx appends the address that connected to it; anything before that came from the client.
    assert client_ip(_request("127.0.0.1", forwarded="203.0.113.9")) == "203.0.113.9"
    assert client_ip(_request("127.0.0.1", forwarded="198.51.100.66, 203.0.113.9")) == "203.0.113.9"


def test_behind_two_proxies_the_outer_proxys_entry_is_used(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request("10.0.0.2", forwarded="spoofed, 203.0.113.9, 10.0.0.1")) == "203.0.113.9"


def test_a_request_that_did_not_come_through_the_proxies_uses_its_own_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request("203.0.113.9")) == "203.0.113.9"
    assert client_ip(_request("203.0.113.9", forwarded="not an address")) == "203.0.113.9"


def test_behind_a_proxy_a_lockout_holds_the_person_failing_and_no_one_else(settings):
    """Five failures for the PCC's address from one place lock that place out, not the PCC signing in from the
    office, though every request reaches the service from the proxy's own address."""
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(email="pcc@example.org", role="pcc")
    attacker = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.66")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attacker.post(SIGN_IN, {"username": "pcc@example.org", "password": "wrong"})
    assert attacker.post(SIGN_IN, {"username": "pcc@example.org", "password": TEST_PASSWORD}).status_code == 429
    # The attacker cannot choose the address the lockout holds by writing the header themselves.
    spoofing = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.66")
    assert spoofing.post(SIGN_IN, {"username": "pcc@example.org", "password": TEST_PASSWORD}).status_code == 429
    office = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    response = office.post(SIGN_IN, {"username": "pcc@example.org", "password": TEST_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home:index")


# --- Throttles -----------------------------------------------------------------------------------------------


def test_password_reset_is_throttled_per_e_mail_address(settings):
    settings.THROTTLE_REQUESTS = 2
    UserFactory(email="officer@example.org")
    url = reverse("accounts:password_reset")
    for address in ("10.0.0.1", "10.0.0.2"):
        assert Client(REMOTE_ADDR=address).post(url, {"email": "officer@example.org"}).status_code == 302
    refused = Client(REMOTE_ADDR="10.0.0.3").post(url, {"email": "officer@example.org"})
    assert refused.status_code == 429
    assert "There have been too many requests to reset a password. Wait 15 minutes" in refused.content.decode()
    assert len(mail.outbox) == 2


def test_password_reset_is_throttled_per_network_address(settings):
    settings.THROTTLE_REQUESTS = 2
    url = reverse("accounts:password_reset")
    client = Client(REMOTE_ADDR="10.0.0.9")
    assert client.post(url, {"email": "a@example.org"}).status_code == 302
    assert client.post(url, {"email": "b@example.org"}).status_code == 302
    assert client.post(url, {"email": "c@example.org"}).status_code == 429
    # The refusal is the same for an address with no account: it says nothing about who has one.
    assert Client(REMOTE_ADDR="10.0.0.10").post(url, {"email": "c@example.org"}).status_code == 302


def test_the_throttle_works_in_the_shared_database_cache(settings):
    """Production keeps the counts in the database cache (made by migrate), shared by every worker and server."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "django_cache"}
    }
    settings.THROTTLE_REQUESTS = 1
    caches["default"].clear()
    request = _request("10.1.1.1")
    assert throttled(request, "test") is False
    assert throttled(request, "test") is True
    assert throttled(_request("10.1.1.2"), "test") is False


# --- A form sent twice ---------------------------------------------------------------------------------------


def test_a_sign_in_form_sent_twice_lands_on_the_home_page_not_forbidden():
    """Signing in renews the form token, so the same sign-in form sent again (a double-click, or Back and send)
    carries the old one. The person is signed in: they are taken where signing in leads, with a message."""
    UserFactory(email="officer@example.org", role="policy_officer")
    client = Client(enforce_csrf_checks=True)
    page = client.get(SIGN_IN)
    token = page.context["csrf_token"]
    form = {"username": "officer@example.org", "password": TEST_PASSWORD, "csrfmiddlewaretoken": str(token)}
    first = client.post(SIGN_IN, form)
    assert first.status_code == 302 and first["Location"] == reverse("home:index")
    again = client.post(SIGN_IN, form, follow=True)
    assert again.status_code == 200
    assert again.redirect_chain[-1][0] == reverse("home:index")
    assert "That form had already been sent, so it was not sent again" in again.content.decode()


def test_an_expired_form_from_someone_signed_out_says_so_plainly():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:password_reset"), {"email": "a@example.org"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "This form has expired" in html and "Forbidden" not in html


def test_signing_out_from_an_out_of_date_page_goes_home_and_says_so(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["provider"])
    response = client.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": "out-of-date"}, follow=True)
    assert response.redirect_chain == [(reverse("home:index"), 302)]
    assert "you have not been signed out. Press Sign out again" in response.content.decode()
