"""URL converters. `<id:pk>` accepts only numbers that fit a database id (else 404)."""

from django.urls import register_converter


class RecordIdConverter:
    regex = "[1-9][0-9]{0,17}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(RecordIdConverter, "id")
