"""The top bar's language switcher: Django's own view sets the page language; a signed-in
user's choice is also kept on their record, so emails and reminders from jobs use it."""

from django.conf import settings
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from guanxi.core.services.preferences import user_language_set


@require_POST
def language_switch(request):
    response = set_language(request)
    language = request.POST.get("language", "")
    # An unknown code is ignored here as Django's view ignores it for the page.
    known = language in dict(settings.LANGUAGES)
    if known and request.user.is_authenticated and language != request.user.language:
        user_language_set(actor=request.user, user=request.user, language=language)
    return response
