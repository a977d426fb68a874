from django.db.models import Q

from commissioning.accounts.models import User


def user_list(*, search: str = "", role: str = ""):
    qs = User.objects.select_related("organisation").order_by("display_name", "email")
    if search:
        qs = qs.filter(Q(display_name__icontains=search) | Q(email__icontains=search))
    if role:
        qs = qs.filter(role=role)
    return qs


def user_with_email(email: str) -> User | None:
    """The account with this e-mail address (any case), if there is one."""
    return User.objects.filter(email__iexact=(email or "").strip()).first()
