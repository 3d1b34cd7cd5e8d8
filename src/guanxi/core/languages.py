"""The language to write to a user in: emails and reminders are sent from jobs, outside
any request, so the request's language does not apply; the recipient's own does."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.utils import translation


def user_language(user) -> str:
    """The user's own language when they have a known one, else the company's."""
    code = getattr(user, "language", "") or ""
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


@contextmanager
def language_of(user) -> Iterator[str]:
    """Translate in `user`'s language while the block runs (restored after it)."""
    language = user_language(user)
    with translation.override(language):
        yield language
