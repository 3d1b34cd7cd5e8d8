"""The 360 timeline registry (客户动态).

Apps contribute entries by registering a source; the 360 page asks the registry and
never imports the apps. A source is a callable
``(party, user, before: Position | None, limit: int) -> list[TimelineEntry]`` returning
up to `limit` of the party's entries strictly older than `before` in (time, key) order,
newest first. `older_than()` builds that condition for a Django queryset.
"""

import base64
import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.dateparse import parse_datetime

Position = tuple[datetime.datetime, str]


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


def _encode(entry: TimelineEntry) -> str:
    raw = json.dumps([entry.at.isoformat(), entry.key]).encode()
    return base64.urlsafe_b64encode(raw).decode()


def entry_key(prefix: str, pk: int) -> str:
    """A key that sorts like the primary key within one source: "interaction:000000000042"."""
    return f"{prefix}:{pk:012d}"


def older_than(before: Position | None, *, time_field: str, key_prefix: str) -> Q:
    """Rows of one source strictly before `before` in (time, key) order."""
    if before is None:
        return Q()
    at, key = before
    mine = f"{key_prefix}:"
    if key.startswith(mine):
        tie = Q(pk__lt=int(key[len(mine) :]))
    elif mine < key:
        tie = Q()  # at the same instant every key of this source sorts before the cursor
    else:
        tie = Q(pk__in=[])
    return Q(**{f"{time_field}__lt": at}) | (Q(**{time_field: at}) & tie)


def _decode(cursor: str) -> Position | None:
    try:
        at, key = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        parsed = parse_datetime(at)
    except (ValueError, TypeError, json.JSONDecodeError):
        return None
    key = str(key)
    prefix, _sep, number = key.partition(":")
    if not (parsed and parsed.tzinfo and prefix and number.isdigit() and len(number) <= 18):
        return None
    return parsed, key


def timeline_page(
    party, user, *, cursor: str | None = None, limit: int = 20
) -> tuple[list[TimelineEntry], str | None]:
    """One page of the merged timeline, newest first, and the cursor of the next page."""
    position = _decode(cursor) if cursor else None
    merged: list[TimelineEntry] = []
    for _label, source in _sources.values():
        merged.extend(source(party, user, position, limit + 1))
    merged.sort(key=lambda e: (e.at, e.key), reverse=True)
    page = merged[:limit]
    next_cursor = _encode(page[-1]) if len(merged) > limit else None
    return page, next_cursor
