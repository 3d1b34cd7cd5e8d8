"""`guanxi token USERNAME [--name NAME]`: issue an API token for an integration."""

from django.core.management.base import BaseCommand, CommandError

from guanxi.core.models import User
from guanxi.core.services.tokens import api_token_create


class Command(BaseCommand):
    help = "Issue an API token for a user; the key is printed once and stored hashed."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="cli")

    def handle(self, *args, username, name, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {username!r}.")
        _token, raw = api_token_create(user=user, name=name)
        self.stdout.write(raw)
