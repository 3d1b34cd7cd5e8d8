"""`guanxi openapi --output FILE`: write the API contract (docs/openapi.json)."""

import json

from django.core.management.base import BaseCommand


def schema_text() -> str:
    from guanxi.api import api

    return json.dumps(api.get_openapi_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


class Command(BaseCommand):
    help = "Write the OpenAPI schema of /api/v1."

    def add_arguments(self, parser):
        parser.add_argument("--output", default="-")

    def handle(self, *args, output="-", **options):
        text = schema_text()
        if output == "-":
            self.stdout.write(text, ending="")
        else:
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(text)
