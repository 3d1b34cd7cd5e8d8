"""API tokens: issue (the key is returned once), authenticate, revoke."""

from django.db import transaction
from django.utils import timezone

from guanxi.core.models import ApiToken
from guanxi.core.models.tokens import hash_token


@transaction.atomic
def api_token_create(*, user, name: str) -> tuple[ApiToken, str]:
    raw = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=user, name=name, prefix=raw[3:11], key_hash=hash_token(raw)
    )
    return token, raw


def api_token_authenticate(raw: str):
    """The active user owning the token, or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def api_token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
