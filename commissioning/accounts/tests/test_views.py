import re

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from commissioning.accounts.models import User
from commissioning.accounts.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_sign_in_with_email_and_password_lands_on_home(client):
    UserFactory(email="officer@example.org", role="policy_officer")
    response = client.post(reverse("accounts:login"), {"username": "Officer@Example.org", "password": TEST_PASSWORD})
    assert response.status_code == 302 and response.url == reverse("home:index")
    assert "Welcome" in client.get(reverse("home:index")).content.decode()


def test_signing_in_records_the_time_but_no_change_in_the_activity_log(client):
    user = UserFactory(email="officer@example.org", role="policy_officer")
    rows = user.history.count()
    client.post(reverse("accounts:login"), {"username": "officer@example.org", "password": TEST_PASSWORD})
    user.refresh_from_db()
    assert user.last_login is not None
    assert user.history.count() == rows


def test_wrong_password_shows_error_summary(client):
    UserFactory(email="officer@example.org")
    response = client.post(reverse("accounts:login"), {"username": "officer@example.org", "password": "nope"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and "Enter a correct e-mail address and password" in html
    assert "<title>Error: " in html


def test_empty_sign_in_names_each_field(client):
    html = client.post(reverse("accounts:login"), {}).content.decode()
    assert 'href="#id_username"' in html and "Enter your e-mail address" in html
    assert "Enter your password" in html


def test_lockout_after_repeated_failures(client, settings):
    UserFactory(email="officer@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "officer@example.org", "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": "officer@example.org", "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "tried to sign in too many times" in response.content.decode()


def test_sign_out_needs_post(client_for):
    client = client_for("pcc")
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("home:index")).status_code == 302


def test_password_reset_by_email(client):
    user = UserFactory(email="officer@example.org")
    client.post(reverse("accounts:password_reset"), {"email": "officer@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/account/password-reset/\S+/", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[1]
    response = client.get(path, follow=True)
    new = "a-brand-new-passphrase-77"
    response = client.post(response.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


def test_password_reset_for_unknown_address_says_the_same(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302 and len(mail.outbox) == 0


def test_staff_must_set_up_two_factor_when_required(client, settings):
    settings.REQUIRE_2FA = True
    UserFactory(email="cfo@example.org", role="cfo")
    client.post(reverse("accounts:login"), {"username": "cfo@example.org", "password": TEST_PASSWORD})
    response = client.get(reverse("home:index"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:two_factor_setup"))
    client.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user__email="cfo@example.org")
    bad = client.post(reverse("accounts:two_factor_setup"), {"token": "000000"})
    assert "The security code is wrong" in bad.content.decode()
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    response = client.post(reverse("accounts:two_factor_setup") + "?next=/", {"token": code})
    assert response.status_code == 302
    assert client.get(reverse("home:index")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_staff_with_device_is_asked_for_code_on_next_sign_in(client, settings):
    settings.REQUIRE_2FA = True
    user = UserFactory(email="pcc@example.org", role="pcc")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client.post(reverse("accounts:login"), {"username": "pcc@example.org", "password": TEST_PASSWORD})
    response = client.get(reverse("home:index"))
    assert response.url.startswith(reverse("accounts:two_factor_verify"))
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    client.post(reverse("accounts:two_factor_verify"), {"token": code})
    assert client.get(reverse("home:index")).status_code == 200


def test_outside_roles_are_not_asked_for_two_factor(client, settings):
    settings.REQUIRE_2FA = True
    UserFactory(email="provider@example.org", role="provider")
    client.post(reverse("accounts:login"), {"username": "provider@example.org", "password": TEST_PASSWORD})
    assert client.get(reverse("home:index")).status_code == 200


def test_admin_invites_a_person_who_gets_an_email(client_for, users, django_capture_on_commit_callbacks):
    client = client_for("admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:user_invite"),
            {
                "email": "New.Officer@example.org",
                "display_name": "New Officer",
                "job_title": "Officer",
                "role": "finance_officer",
                "organisation": "",
            },
        )
    assert response.status_code == 302
    person = User.objects.get(email="new.officer@example.org")
    assert person.role == "finance_officer" and not person.has_usable_password()
    assert len(mail.outbox) == 1 and "/account/password-reset/" in mail.outbox[0].body
    assert person.history.first().history_user == users["admin"]


def test_invite_provider_without_organisation_is_refused(client_for):
    response = client_for("admin").post(
        reverse("accounts:user_invite"),
        {
            "email": "p@example.org",
            "display_name": "P",
            "role": "provider",
            "organisation": "",
        },
    )
    assert "Select the organisation this provider acts for" in response.content.decode()
    assert not User.objects.filter(email="p@example.org").exists()


def test_invite_duplicate_email_is_refused(client_for, users):
    response = client_for("admin").post(
        reverse("accounts:user_invite"),
        {
            "email": users["pcc"].email.upper(),
            "display_name": "X",
            "role": "pcc",
        },
    )
    assert "already has an account" in response.content.decode()


def test_admin_changes_a_role_with_reason_in_history(client_for, users):
    person = users["policy_officer"]
    response = client_for("admin").post(
        reverse("accounts:user_edit", args=[person.pk]),
        {
            "display_name": person.display_name,
            "job_title": "",
            "role": "commissioning_manager",
            "organisation": "",
            "is_active": "on",
            "reason": "Promoted",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.role == "commissioning_manager"
    detail = client_for("admin").get(reverse("accounts:user_detail", args=[person.pk])).content.decode()
    assert "Promoted" in detail and "Role" in detail


def test_admin_cannot_close_own_account(client_for, users):
    admin = users["admin"]
    response = client_for("admin").post(
        reverse("accounts:user_edit", args=[admin.pk]),
        {
            "display_name": admin.display_name,
            "role": "admin",
            "organisation": "",
            "reason": "oops",
        },
    )
    assert "cannot change your own role or close your own account" in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active


def test_people_list_query_count_is_bounded(client_for, django_assert_max_num_queries):
    client = client_for("admin")
    with django_assert_max_num_queries(8):
        client.get(reverse("accounts:user_list"))
    UserFactory.create_batch(40, role="provider")
    with django_assert_max_num_queries(8):
        response = client.get(reverse("accounts:user_list"))
    assert "Next" in response.content.decode()
