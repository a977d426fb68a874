"""Sealed bids (issue 10, point 6): before the opening no one but the bid's own supplier can read its price,
answers or files, by any route: the selector, each role's pages, the CSV export, the configuration admin, the
history tables, or a guessed file address. After a two-officer opening, the officers and the auditor can."""

import datetime as dt

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commissioning.accounts.roles import Role
from commissioning.procurement.models import BidAnswer, BidAttachment, BidEnvelope
from commissioning.procurement.selectors import bids as bid_selectors
from commissioning.procurement.selectors.bids import BidSealed
from commissioning.procurement.tests.factories_tenders import open_tender, published_tender, sealed_bid
from commissioning.testing.matrix import ALL_ROLES

SECRET = "ZEBRA-QUARTZ-SECRET"
PRICE = "412345.67"
PRICE_SHOWN = ("412345.67", "412,345.67")

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(users):
    """A tender past its deadline, not yet opened, with another organisation's sealed bid and the supplier's own."""
    tender = published_tender(deadline=timezone.now() - dt.timedelta(minutes=5))
    other = sealed_bid(tender, price=PRICE, secret=SECRET)
    own = sealed_bid(tender, users["supplier"].organisation, price="399999.99", secret="OWN-ANSWER")
    return tender, other, own


@pytest.fixture
def superuser_admin(users):
    admin_user = users["admin"]
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    return admin_user


def _clients(users):
    clients = {"anonymous": Client()}
    for role in ALL_ROLES:
        clients[role] = Client()
        clients[role].force_login(users[role])
    return clients


def _leaks(response) -> bool:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return SECRET.encode() in body or any(p.encode() in body for p in PRICE_SHOWN)


def test_the_selector_refuses_every_role_before_the_opening(users, closed, superuser_admin):
    tender, other, own = closed
    for role in ALL_ROLES:
        with pytest.raises(BidSealed):
            bid_selectors.bid_envelope_for(user=users[role], bid=other)
        with pytest.raises(BidSealed):
            bid_selectors.bid_attachment_for(user=users[role], bid=other, pk=other.attachments.get().pk)
    with pytest.raises(BidSealed):
        bid_selectors.opened_bids(user=users["commissioning_manager"], tender=tender)


def test_a_supplier_reads_only_its_own_bid(users, closed):
    tender, other, own = closed
    content = bid_selectors.bid_envelope_for(user=users["supplier"], bid=own)
    assert str(content.price) == "399999.99"
    with pytest.raises(PermissionDenied):
        bid_selectors.bid_envelope_for(user=users["supplier"], bid=other)


def test_no_page_shows_a_sealed_bid_to_any_role(users, closed, superuser_admin):
    tender, other, own = closed
    attachment = other.attachments.get()
    urls = [
        reverse("procurement:tender_list"),
        reverse("procurement:tender_detail", args=[tender.pk]),
        reverse("procurement:bid_detail", args=[tender.pk, other.pk]),
        reverse("procurement:bid_attachment_download", args=[tender.pk, other.pk, attachment.pk]),
        reverse("procurement:bids_export", args=[tender.pk]),
        reverse("procurement:opening", args=[tender.pk]),
        reverse("procurement:opportunity_detail", args=[tender.pk]),
        reverse("procurement:bid_list_mine"),
        reverse("procurement:own_bid_attachment_download", args=[tender.pk, attachment.pk]),
        reverse("procurement:bid_check", args=[tender.pk]),
        reverse("procurement:bid_edit", args=[tender.pk]),
        "/admin/",
    ]
    failures = []
    for who, client in _clients(users).items():
        for url in urls:
            response = client.get(url)
            if _leaks(response):
                failures.append(f"{who} read the sealed bid at {url}")
        # The officers' bid page and file are refused outright (403), not merely blank.
        for url in urls[2:4]:
            if client.get(url).status_code not in (302, 403, 404):
                failures.append(f"{who} was not refused {url}")
    assert not failures, "\n".join(failures)


def test_the_export_holds_no_price_before_the_opening(client_for, closed):
    tender, other, own = closed
    response = client_for("auditor").get(reverse("procurement:bids_export", args=[tender.pk]))
    assert response.status_code == 200
    assert not _leaks(response)
    assert b"Sealed until the bids are opened" in response.content


def test_sealed_content_is_not_in_the_configuration_admin(superuser_admin):
    for model in (BidEnvelope, BidAnswer, BidAttachment):
        assert model not in admin.site._registry
    client = Client()
    client.force_login(superuser_admin)
    for name in ("bidenvelope", "bidanswer", "bidattachment", "bid"):
        assert client.get(f"/admin/procurement/{name}/").status_code == 404


def test_sealed_content_keeps_no_history(closed):
    """The envelope's models have no history tables, and no history table anywhere holds the secret or the price."""
    for model in (BidEnvelope, BidAnswer, BidAttachment):
        assert not hasattr(model, "history")
    for model in apps.get_models():
        if not model.__name__.startswith("Historical"):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                assert not model.objects.filter(**{f"{field.name}__contains": SECRET}).exists(), model
            if isinstance(field, models.DecimalField):
                assert not model.objects.filter(**{field.name: PRICE}).exists(), model


def test_a_guessed_file_address_serves_nothing(users, closed, superuser_admin):
    tender, other, own = closed
    path = other.attachments.get().file.name
    assert "method-statement" not in path and str(other.pk) not in path.split("/")[0]
    for who, client in _clients(users).items():
        response = client.get(settings.MEDIA_URL + path)
        assert response.status_code == 404, who
        assert not _leaks(response)


def test_after_the_opening_officers_and_the_auditor_read_it_and_others_do_not(users, closed, client_for):
    tender, other, own = closed
    open_tender(tender, first=users["commissioning_manager"], second=users["finance_officer"])
    tender.refresh_from_db()
    other.refresh_from_db()
    readers = {"commissioning_manager", "policy_officer", "finance_officer", "cfo", "chief_executive"}
    readers |= {"director_operations", "auditor"}
    for role in ALL_ROLES:
        if role in readers:
            content = bid_selectors.bid_envelope_for(user=users[role], bid=other)
            assert str(content.price) == PRICE
        else:
            with pytest.raises(PermissionDenied):
                bid_selectors.bid_envelope_for(user=users[role], bid=other)
    page = client_for("commissioning_manager").get(reverse("procurement:bid_detail", args=[tender.pk, other.pk]))
    assert page.status_code == 200 and _leaks(page)
    assert client_for(Role.ADMIN).get(reverse("procurement:bid_detail", args=[tender.pk, other.pk])).status_code == 403
    assert client_for("supplier").get(reverse("procurement:bid_detail", args=[tender.pk, other.pk])).status_code == 403


def test_a_supplier_never_sees_who_asked_a_question(users, client_for):
    from commissioning.procurement.services import bids as bid_services
    from commissioning.procurement.services import tenders as tender_services
    from commissioning.procurement.tests.factories_tenders import SupplierFactory

    tender = published_tender()
    asker = SupplierFactory(organisation__name="Asking Organisation Unique Ltd")
    question = bid_services.clarification_ask(actor=asker, tender=tender, question="Can we bid as a consortium?")
    tender_services.clarification_answer(actor=users["commissioning_manager"], question=question, answer="Yes.")
    url = reverse("procurement:opportunity_detail", args=[tender.pk])
    for client in (client_for("supplier"), Client()):
        page = client.get(url)
        assert b"Can we bid as a consortium?" in page.content
        assert b"Asking Organisation Unique Ltd" not in page.content
    # The officers see who asked (marked as not published).
    assert (
        b"Asking Organisation Unique Ltd"
        in client_for("commissioning_manager").get(reverse("procurement:tender_detail", args=[tender.pk])).content
    )


def test_a_late_bid_is_refused_through_the_page(users, client_for):
    tender = published_tender()
    bid = sealed_bid(tender, users["supplier"].organisation, status="draft")
    tender.deadline = timezone.now() - dt.timedelta(seconds=1)
    tender.save()
    response = client_for("supplier").post(reverse("procurement:bid_check", args=[tender.pk]))
    assert response.status_code == 200
    assert b"Late bids cannot be accepted" in response.content
    bid.refresh_from_db()
    assert bid.status == "draft"
