"""Audit events as people read them: field labels, choice labels, names, local times."""

from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanxi.core.models import AuditEvent, User

# Change keys that are not model fields.
EXTRA_LABELS = {
    "shared_with": gettext_lazy("Shared with"),
    "can_edit": gettext_lazy("May edit"),
    "password": gettext_lazy("Password"),
    "import": gettext_lazy("Import no."),
    "merge": gettext_lazy("Merge no."),
    "merged": gettext_lazy("Merged customers"),
    "contact_points": gettext_lazy("Contact methods added"),
    "tags_added": gettext_lazy("Tags added"),
}
# Transfer events carry names for the raw log; the "owner" line already shows them.
HIDDEN = {"owner_name"}
# Keys whose values are user ids.
USER_KEYS = {"owner", "actor", "recorded_by", "created_by", "shared_with"}


@dataclass(frozen=True)
class ChangeLine:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class EventView:
    event: AuditEvent
    object_label: str
    lines: list[ChangeLine]


def _model(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _choices(field) -> dict:
    if field is None:
        return {}
    if getattr(field, "choices", None):
        return dict(field.flatchoices)
    if field.is_relation and field.auto_created:  # e.g. Party.roles → PartyRole.role
        for related in field.related_model._meta.get_fields():
            if getattr(related, "choices", None):
                return dict(related.flatchoices)
    return {}


def _text(value, field, users: dict[int, str], *, is_user: bool = False) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return "、".join(_text(v, field, users) for v in value) or "—"
    if is_user:
        return users.get(value, f"#{value}")
    if isinstance(value, dict):
        return str(value)
    labels = _choices(field)
    if value in labels:
        return str(labels[value])
    if isinstance(value, str) and len(value) >= 19 and value[4:5] == "-" and "T" in value:
        return _local_time(value)
    return str(value)


def _local_time(text: str) -> str:
    """An ISO timestamp in local time; any other text as it is."""
    try:
        moment = parse_datetime(text)
    except ValueError:
        return text
    if moment is None or timezone.is_naive(moment):
        return text
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _pair(value) -> tuple:
    """(before, after) of one change; anything else is shown as an 'after' value."""
    if isinstance(value, list | tuple) and len(value) == 2:
        return value[0], value[1]
    return None, value


def _label_and_field(model, name: str):
    if name in EXTRA_LABELS or model is None:
        return str(EXTRA_LABELS.get(name, name)), None
    if "." in name:  # "consent.<channel>": a decision on one channel
        channel = name.split(".", 1)[1]
        try:
            channels = dict(model._meta.get_field("channel").flatchoices)
            status = model._meta.get_field("status")
        except FieldDoesNotExist:
            return name, None
        return f"{model._meta.verbose_name} · {channels.get(channel, channel)}", status
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name, None
    label = getattr(field, "verbose_name", None) or field.related_model._meta.verbose_name_plural
    return str(label), field


def describe(events: list[AuditEvent]) -> list[EventView]:
    """Readable versions of `events` (user ids resolved in one query)."""
    user_ids = {
        value
        for event in events
        for key, pair in event.changes.items()
        if key in USER_KEYS
        for value in _pair(pair)
        if isinstance(value, int)
    }
    users = {u.pk: str(u) for u in User.objects.filter(pk__in=user_ids)}
    views = []
    for event in events:
        model = _model(event.object_type)
        lines = []
        for name, change in event.changes.items():
            before, after = _pair(change)
            if name in HIDDEN:
                continue
            if (event.action == "create" and after in (None, "", [])) or (
                event.action == "delete" and before in (None, "", [])
            ):
                continue  # an empty field of a new or deleted record says nothing
            label, field = _label_and_field(model, name)
            is_user = name in USER_KEYS
            lines.append(
                ChangeLine(
                    label,
                    _text(before, field, users, is_user=is_user),
                    _text(after, field, users, is_user=is_user),
                )
            )
        object_label = str(model._meta.verbose_name) if model else event.object_type
        views.append(EventView(event=event, object_label=object_label, lines=lines))
    return views
