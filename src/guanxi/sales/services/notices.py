"""Telling a rep that records went back to the pool: an email through the outbox, in the
rep's own language."""

from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.languages import language_of
from guanxi.core.models import User
from guanxi.core.notify import EMAIL, notify


def tell_reps(user_id: int, count: int) -> None:
    user = User.objects.filter(pk=user_id).first()
    if user is None or not user.email:
        return
    with language_of(user):
        body = _(
            "%(n)d of your claimed records went back to the public pool: no follow-up or "
            "progress in time. See them under Pool."
        ) % {"n": count}
        subject = _("Records returned to the pool")
    sent = timezone.now().isoformat()
    notify(
        channel=EMAIL,
        recipient=user.email,
        subject=subject,
        body=body,
        purpose="pool_recycle",
        source_ref=f"recycle:{user_id}:{sent}",
    )
