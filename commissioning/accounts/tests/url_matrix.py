from commissioning.testing.matrix import UrlCase, expect, roles

ADMIN_ONLY = expect(403, **roles("admin", status=200))


def setup(world):
    world.person = world.users["policy_officer"]


CASES = [
    # A signed-in person asking for the sign-in page is sent home.
    UrlCase("accounts:login", expect(302, anonymous=200)),
    # Sign-out takes POST only.
    UrlCase("accounts:logout", expect(405, anonymous=405)),
    UrlCase("accounts:profile", expect(200)),
    UrlCase("accounts:password_change", expect(200)),
    UrlCase("accounts:password_reset", expect(200, anonymous=200)),
    UrlCase("accounts:password_reset_done", expect(200, anonymous=200)),
    UrlCase(
        "accounts:password_reset_confirm",
        expect(200, anonymous=200),
        kwargs=lambda world: {"uidb64": "MQ", "token": "not-a-token"},
    ),
    UrlCase("accounts:password_reset_complete", expect(200, anonymous=200)),
    UrlCase("accounts:two_factor_setup", expect(200)),
    UrlCase("accounts:two_factor_verify", expect(200)),
    UrlCase("accounts:user_list", ADMIN_ONLY),
    UrlCase("accounts:user_invite", ADMIN_ONLY),
    UrlCase("accounts:user_detail", ADMIN_ONLY, kwargs=lambda world: {"pk": world.person.pk}),
    UrlCase("accounts:user_edit", ADMIN_ONLY, kwargs=lambda world: {"pk": world.person.pk}),
]
