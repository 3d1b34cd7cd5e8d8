"""Where the current change comes from: request id and client address, per request or command."""

import uuid
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Origin:
    request_id: str
    ip_address: str | None = None


_origin: ContextVar[Origin | None] = ContextVar("guanxi_origin", default=None)


def current_origin() -> Origin:
    """The origin of the running request, or a fresh one for commands and jobs."""
    origin = _origin.get()
    if origin is None:
        origin = Origin(request_id=f"local-{uuid.uuid4().hex[:16]}")
        _origin.set(origin)
    return origin


def set_origin(origin: Origin | None):
    return _origin.set(origin)


def reset_origin(token) -> None:
    _origin.reset(token)
