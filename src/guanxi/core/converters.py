"""URL converters. `<id:pk>` accepts only numbers that fit a database id (else 404)."""

import re

from django.urls import register_converter


class RecordIdConverter:
    regex = "[1-9][0-9]{0,17}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(RecordIdConverter, "id")


def number_or_none(text: str, *, digits: int = 18, signed: bool = False) -> int | None:
    """An ASCII whole number of at most `digits` digits from user input, else None
    (`str.isdigit` also accepts "²" and other digits `int` refuses)."""
    pattern = rf"-?[0-9]{{1,{digits}}}" if signed else rf"[0-9]{{1,{digits}}}"
    text = (text or "").strip()
    return int(text) if re.fullmatch(pattern, text) else None
