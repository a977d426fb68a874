"""Writes about people: invitations, self-registration and its confirmation, role changes, two-factor devices."""

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from commissioning.accounts.models import User
from commissioning.core import mail
from commissioning.core.services import require


def set_password_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse("accounts:password_reset_confirm", args=[uid, token])


# Self-registration (an applicant registering their organisation) -------------------------------------------


def registration_problems(*, email: str, display_name: str, password: str) -> dict:
    """What is wrong with a person's own registration, by field (email, name, password). Whether the address
    already has an account is deliberately not among them: the answer must not say (registration_create)."""
    errors = {}
    email = (email or "").strip().lower()
    user = User(email=email, display_name=(display_name or "").strip())
    if not user.display_name:
        errors["name"] = "Enter your full name"
    if not email:
        errors["email"] = "Enter your e-mail address"
    else:
        try:
            user.full_clean(
                exclude=["password", "organisation", "display_name", "role"],
                validate_constraints=False,
                validate_unique=False,
            )
        except ValidationError as exc:
            if "email" in exc.message_dict:
                errors["email"] = "Enter an e-mail address in the correct format, like name@example.com"
    if not password:
        errors["password"] = "Enter a password"
    else:
        try:
            password_validation.validate_password(password, user)
        except ValidationError as exc:
            errors["password"] = exc.messages
    return errors


def registration_create(
    *, email: str, display_name: str, password: str, role: str, organisation, reason: str
) -> User | None:
    """A person's own account, closed until they follow the link e-mailed to them (registration_confirm_link),
    which proves the address is theirs. None when the address already has an account, or was registered a
    moment ago by someone else (the unique address refuses the second). Check registration_problems first."""
    user = User(
        email=(email or "").strip().lower(),
        display_name=(display_name or "").strip(),
        role=role,
        organisation=organisation,
        is_active=False,
    )
    if User.objects.filter(email__iexact=user.email).exists():
        return None
    user.set_password(password)
    try:
        with transaction.atomic():
            user.full_clean(exclude=["password"], validate_unique=False)
            user._change_reason = reason
            user.save()
    except IntegrityError:
        return None
    return user


def registration_unconfirmed(user: User) -> bool:
    """Registered by themselves but never confirmed (so never signed in)."""
    return not user.is_active and user.last_login is None and user.invited_by_id is None


def registration_confirm_link(user: User, url_name: str, query: str = "") -> str:
    """The link that opens a self-registered account: `url_name` takes (uidb64, token)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse(url_name, args=[uid, token]) + query


@transaction.atomic
def registration_confirm(*, uidb64: str, token: str, role: str) -> User | None:
    """Follow the link e-mailed on registering: the account opens and may sign in. None when the link is wrong,
    has expired (PASSWORD_RESET_TIMEOUT) or was used already."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    user = User.objects.select_for_update().filter(pk=pk, role=role).first()
    if user is None or not registration_unconfirmed(user) or not default_token_generator.check_token(user, token):
        return None
    user.is_active = True
    user._change_reason = "E-mail address confirmed"
    user.save(update_fields=["is_active"])
    return user


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
