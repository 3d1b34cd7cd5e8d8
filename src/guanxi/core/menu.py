"""The staff top menu: a few groups of entries, each entry shown only to the roles whose
pages answer it, with the current page and its group highlighted.

The menu is data rather than template branches so that a group knows whether it holds
the current page and the sum of its entries' badges. URL names and badge counters are
named as strings: core imports no domain app, and a badge costs its query only when a
page that extends the shell is drawn (htmx partials skip it).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from django.urls import reverse
from django.utils.functional import Promise, SimpleLazyObject
from django.utils.module_loading import import_string
from django.utils.translation import pgettext_lazy

from guanxi.core.choices import Role, UserKind
from guanxi.core.visibility import Action, role_allows

HEALTH_ROLES = (Role.ADMIN, Role.MANAGER, Role.ANALYST)


def may_see_network_health(user) -> bool:
    """The network health page is for managers, administrators and analysts."""
    return user.kind == UserKind.STAFF and (user.is_superuser or user.role in HEALTH_ROLES)


def _anyone(user) -> bool:
    return True


def _allows(action: Action) -> Callable:
    return lambda user: role_allows(user, action)


def _manager(user) -> bool:
    return user.is_admin_role or user.role == Role.MANAGER


def _reviewer(user) -> bool:
    # Reps see the field conflicts of their own customers there; managers merge.
    return role_allows(user, Action.MERGE) or role_allows(user, Action.CHANGE)


@dataclass(frozen=True)
class Entry:
    label: Promise
    url_name: str
    # View names ("app:name", shell-style wildcards) that count as this entry's page;
    # the most specific pattern wins, so "customers:*" yields to "customers:import*".
    pages: tuple[str, ...] = ()
    allowed: Callable = _anyone
    badge: str = ""  # dotted path of a callable(user) -> int


@dataclass(frozen=True)
class Group:
    key: str
    label: Promise
    entries: tuple[Entry, ...]


MENU = (
    Group(
        "customers",
        pgettext_lazy("menu", "Customers"),
        (
            Entry(pgettext_lazy("menu", "Customers"), "customers:list", ("customers:*",)),
            Entry(
                pgettext_lazy("menu", "Follow-ups"),
                "customers:followups",
                ("customers:followup*",),
            ),
            Entry(
                pgettext_lazy("menu", "Duplicates"),
                "customers:review",
                ("customers:review*", "customers:merge*"),
                _reviewer,
            ),
            Entry(
                pgettext_lazy("menu", "Imports"),
                "customers:imports",
                ("customers:import*",),
                _allows(Action.IMPORT),
            ),
        ),
    ),
    Group(
        "sales",
        pgettext_lazy("menu", "Sales"),
        (
            Entry(pgettext_lazy("menu", "Leads"), "sales:leads", ("sales:lead*",)),
            Entry(
                pgettext_lazy("menu", "Pool"),
                "sales:pool",
                ("sales:pool", "sales:claim*", "sales:release"),
                _allows(Action.CLAIM),
            ),
            Entry(
                pgettext_lazy("menu", "Pipeline"),
                "sales:board",
                ("sales:board*", "sales:opportunit*", "sales:move", "sales:discount")
                + ("sales:close", "sales:reports"),
            ),
            Entry(pgettext_lazy("menu", "Quotes"), "sales:quotes", ("sales:quote*",)),
            Entry(
                pgettext_lazy("menu", "Contracts"),
                "sales:contracts",
                ("sales:contract*", "sales:collection*", "sales:attachment*")
                + ("sales:overdue", "sales:targets*"),
            ),
            Entry(
                pgettext_lazy("menu", "Approvals"),
                "sales:approvals",
                ("sales:approvals",),
                badge="guanxi.sales.badges.approvals_waiting",
            ),
            Entry(
                pgettext_lazy("menu", "Tasks"),
                "sales:tasks",
                ("sales:task*", "sales:work_report*", "sales:kpis"),
                badge="guanxi.sales.badges.tasks_due",
            ),
            Entry(pgettext_lazy("menu", "Team day"), "sales:team_day", (), _manager),
        ),
    ),
    Group(
        "commerce",
        pgettext_lazy("menu", "Commerce"),
        (
            Entry(pgettext_lazy("menu", "Orders"), "commerce:orders", ("commerce:*",)),
            Entry(
                pgettext_lazy("menu", "Fulfilment"),
                "commerce:fulfilment",
                ("commerce:fulfilment", "commerce:return*"),
                _allows(Action.FULFIL),
            ),
            Entry(
                pgettext_lazy("menu", "Products"),
                "commerce:products",
                ("commerce:products", "commerce:announcements"),
            ),
        ),
    ),
    Group(
        "network",
        pgettext_lazy("menu", "Network"),
        (
            Entry(pgettext_lazy("menu", "Distributors"), "network:home", ("network:*",)),
            Entry(
                pgettext_lazy("menu", "Commission runs"),
                "network:runs",
                ("network:run*", "network:commit", "network:statement*", "network:plans"),
                _allows(Action.COMMISSIONS),
            ),
            Entry(
                pgettext_lazy("menu", "Network health"),
                "network:health",
                (),
                may_see_network_health,
            ),
        ),
    ),
    Group(
        "service",
        pgettext_lazy("menu", "Service"),
        (
            Entry(pgettext_lazy("menu", "Service requests"), "service:requests", ("service:*",)),
            Entry(pgettext_lazy("menu", "Question bank"), "service:questions"),
        ),
    ),
    Group(
        "admin",
        pgettext_lazy("menu", "Admin"),
        (
            Entry(
                pgettext_lazy("menu", "Organisation"),
                "core:organisation",
                ("core:organisation", "core:staff_*"),
                _manager,
            ),
        ),
    ),
)


@dataclass
class MenuEntry:
    label: str
    url: str
    active: bool = False
    badge: int = 0


@dataclass
class MenuGroup:
    key: str
    label: str
    entries: list[MenuEntry] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return any(e.active for e in self.entries)

    @property
    def badge(self) -> int:
        return sum(e.badge for e in self.entries)


def _specificity(view_name: str, entry: Entry) -> int:
    """How closely the entry claims the page: 0 not at all, an exact name beats any
    wildcard, a longer wildcard beats a shorter one."""
    best = 0
    for pattern in (entry.url_name, *entry.pages):
        if pattern == view_name:
            return 10_000
        if "*" in pattern and fnmatchcase(view_name, pattern):
            best = max(best, len(pattern))
    return best


class Menu(list):
    @property
    def badge(self) -> int:
        """The phone's menu button shows the sum while the groups are folded away."""
        return sum(g.badge for g in self)


def menu_for(user, view_name: str = "") -> Menu:
    """The groups a staff user sees, with only the entries their role may open."""
    groups, current, best = Menu(), None, 0
    for group in MENU:
        shown = MenuGroup(group.key, str(group.label))
        for entry in group.entries:
            if not entry.allowed(user):
                continue
            item = MenuEntry(str(entry.label), reverse(entry.url_name))
            if entry.badge:
                item.badge = import_string(entry.badge)(user)
            score = _specificity(view_name, entry) if view_name else 0
            if score > best:
                current, best = item, score
            shown.entries.append(item)
        if shown.entries:
            groups.append(shown)
    if current is not None:
        current.active = True
    return groups


def lazy_menu(request):
    """The menu, built on first use by the template."""
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    return SimpleLazyObject(lambda: menu_for(request.user, view_name))
