"""Side panels other apps add to the 360 page (orders and points, later tickets…).

An app registers ``(key, template, context)`` where ``context(party, user)`` returns the
template's context, or None to show nothing; the 360 page renders every panel in
registration order and never imports the apps.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    context: Callable[..., dict | None]


_panels: dict[str, Panel] = {}


def register(key: str, template: str, context: Callable[..., dict | None]) -> None:
    _panels[key] = Panel(key, template, context)


def panels_for(party, user) -> list[tuple[str, dict]]:
    shown = []
    for panel in _panels.values():
        context = panel.context(party, user)
        if context is not None:
            shown.append((panel.template, context))
    return shown
