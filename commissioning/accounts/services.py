"""Writes about people: invitations, role changes, two-factor devices."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from commissioning.accounts.models import User
from commissioning.core import mail
from commissioning.core.services import require


def set_password_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse("accounts:password_reset_confirm", args=[uid, token])


@transaction.atomic
def user_invite(
    *, actor: User, email: str, display_name: str, role: str, organisation=None, job_title: str = ""
) -> User:
    """An administrator invites a person; they choose their own password from the e-mailed link."""
    require(actor, "accounts.manage_users")
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "Someone already has an account with this e-mail address"})
    user = User(
        email=email,
        display_name=display_name,
        role=role,
        organisation=organisation,
        job_title=job_title,
        invited_by=actor,
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user._change_reason = f"Invited by {actor}"
    user.save()

    def send():
        body = render_to_string(
            "accounts/email/invitation.txt",
            {
                "user": user,
                "actor": actor,
                "link": set_password_link(user),
                "service_name": settings.SERVICE_NAME,
            },
        )
        mail.send(f"You have been invited to {settings.SERVICE_NAME}", body, [user.email])

    transaction.on_commit(send)
    return user


@transaction.atomic
def user_update(
    *, actor: User, user: User, display_name: str, job_title: str, role: str, organisation, is_active: bool, reason: str
) -> User:
    require(actor, "accounts.manage_users")
    if user.pk == actor.pk and (not is_active or role != actor.role):
        raise ValidationError({"role": "You cannot change your own role or close your own account"})
    user.display_name, user.job_title, user.role = display_name, job_title, role
    user.organisation, user.is_active = organisation, is_active
    user.full_clean(exclude=["password"])
    user._change_reason = reason
    user.save()
    return user


def totp_device_for_setup(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator being set up, created on first visit."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, user: User, device: TOTPDevice, token: str) -> TOTPDevice:
    if device.user_id != user.pk:
        raise PermissionDenied
    if not device.verify_token(token):
        raise ValidationError(
            {"token": "The security code is wrong or has expired. Enter the code now shown in your app"}
        )
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device
