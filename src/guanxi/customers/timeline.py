"""The 360 timeline registry (客户动态).

Apps contribute entries by registering a source; the 360 page asks the registry and
never imports the apps. A source is a callable
``(party, user, before: datetime | None, limit: int) -> list[TimelineEntry]`` returning
the party's newest entries at or before `before` (inclusive), newest first.
"""

import base64
import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.dateparse import parse_datetime


@dataclass(frozen=True, order=False)
class TimelineEntry:
    at: datetime.datetime
    key: str  # unique across sources, e.g. "interaction:42"
    category: str  # source key, used for icons and filters
    title: str
    body: str = ""
    actor: str = ""
    detail: dict = field(default_factory=dict)


TimelineSource = Callable[..., list[TimelineEntry]]
_sources: dict[str, tuple[str, TimelineSource]] = {}


def register(key: str, label: str, source: TimelineSource) -> None:
    """Register (or replace) a timeline source under a unique key."""
    _sources[key] = (label, source)


def registered() -> dict[str, str]:
    return {key: label for key, (label, _src) in _sources.items()}


def _encode(entry: TimelineEntry) -> str:
    raw = json.dumps([entry.at.isoformat(), entry.key]).encode()
    return base64.urlsafe_b64encode(raw).decode()


def _decode(cursor: str) -> tuple[datetime.datetime, str] | None:
    try:
        at, key = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        parsed = parse_datetime(at)
    except (ValueError, TypeError, json.JSONDecodeError):
        return None
    return (parsed, str(key)) if parsed else None


SLACK = 10  # extra rows per source so entries sharing the cursor's timestamp are not lost


def timeline_page(
    party, user, *, cursor: str | None = None, limit: int = 20
) -> tuple[list[TimelineEntry], str | None]:
    """One page of the merged timeline, newest first, and the cursor of the next page."""
    position = _decode(cursor) if cursor else None
    before = position[0] if position else None
    merged: list[TimelineEntry] = []
    for _label, source in _sources.values():
        merged.extend(source(party, user, before, limit + SLACK))
    merged.sort(key=lambda e: (e.at, e.key), reverse=True)
    if position:
        merged = [e for e in merged if (e.at, e.key) < position]
    page = merged[:limit]
    next_cursor = _encode(page[-1]) if len(merged) > limit else None
    return page, next_cursor
