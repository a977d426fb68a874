"""Everyone who can read applicants' or providers' records (roles.TWO_FACTOR_ROLES: OPCC staff, evaluators,
partners, Panel members and auditors) must pass a TOTP check after signing in when REQUIRE_2FA is on. Until they
do, every page but setting up or confirming the code, and signing out, sends them there."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from commissioning.accounts.roles import TWO_FACTOR_ROLES

EXEMPT_PREFIXES = ("/static/", "/health/", "/accessibility/", "/privacy/", "/cookies/", "/open-data/")


class RequireTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.REQUIRE_2FA
            and user is not None
            and user.is_authenticated
            and user.role in TWO_FACTOR_ROLES
            and not user.is_verified()
            and not request.path.startswith(EXEMPT_PREFIXES)
        ):
            allowed = {
                reverse("accounts:two_factor_setup"),
                reverse("accounts:two_factor_verify"),
                reverse("accounts:logout"),
            }
            if request.path not in allowed:
                from django_otp import devices_for_user

                has_device = any(True for _ in devices_for_user(user, confirmed=True))
                target = "accounts:two_factor_verify" if has_device else "accounts:two_factor_setup"
                return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)
