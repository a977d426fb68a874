"""API tokens for providers' systems (issue 11, point 2): created and revoked by the provider's own people,
stored only as a hash, each acting for its organisation's services in the name of the person who created it.

A secret is `opcc_` followed by 43 URL-safe characters (256 random bits from `secrets`). It is returned once by
token_create, for the page to show, and never stored: only its SHA-256 is, so a copy of the database does not
give anyone the use of the API. authenticate() hashes what a request sends and looks the hash up.
"""

import secrets

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from commissioning.accounts.roles import Role
from commissioning.core.services import attribute, require, save_with_history
from commissioning.monitoring.api_models import PREFIX_LENGTH, ApiToken, hash_secret

SECRET_PREFIX = "opcc_"
LAST_USED_EVERY_SECONDS = 60  # last_used_at is written at most once a minute per token


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


@transaction.atomic
def token_create(*, actor, name: str) -> tuple[ApiToken, str]:
    """A new token for the actor's organisation: the token and its secret, which is shown once and not kept."""
    require(actor, "monitoring.manage_api_tokens")
    secret = new_secret()
    token = ApiToken(
        organisation_id=actor.organisation_id,
        name=(name or "").strip(),
        prefix=secret[len(SECRET_PREFIX) : len(SECRET_PREFIX) + PREFIX_LENGTH],
        secret_hash=hash_secret(secret),
        created_by=actor,
    )
    save_with_history(
        token,
        actor=actor,
        reason="API token created",
        required_messages={"name": "Enter a name for the token, like the system that will use it"},
    )
    return token, secret


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Stop the token working, at once and for good. Revoking a revoked token changes nothing."""
    require(actor, "monitoring.manage_api_tokens", token)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at, token.revoked_by = timezone.now(), actor
        attribute(token, actor=actor, reason="API token revoked")
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def authenticate(secret: str) -> ApiToken | None:
    """The live token with this secret, or None: unknown, revoked, or its creator can no longer act for the
    organisation (signed out for good, or moved). Notes when it was last used."""
    if not secret or not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("created_by", "organisation")
        .filter(secret_hash=hash_secret(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None:
        return None
    creator = token.created_by
    if not creator.is_active or creator.role != Role.PROVIDER or creator.organisation_id != token.organisation_id:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() >= LAST_USED_EVERY_SECONDS:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def tokens_for(user) -> QuerySet:
    """The tokens of the user's organisation, newest first (none for anyone but a provider's people)."""
    if user.role != Role.PROVIDER or not user.organisation_id:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(organisation_id=user.organisation_id).select_related("created_by", "revoked_by")


def token_get_for_user(*, user, pk) -> ApiToken:
    from django.http import Http404

    try:
        return tokens_for(user).get(pk=pk)
    except ApiToken.DoesNotExist as exc:
        raise Http404("No such token for this user") from exc
