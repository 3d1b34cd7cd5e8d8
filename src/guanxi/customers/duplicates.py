"""Duplicate check on create and edit (撞单 protection).

A party is a likely duplicate when it shares a normalised mobile, email or WeChat ID,
or has the same name at the same address. The check looks across the whole database,
not only what the user can see: the point is to tell a rep that someone already owns
this customer. Only the name, owner and owner's department are shown for records the
user cannot see.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from guanxi.customers.choices import ContactKind
from guanxi.customers.models import ContactPoint, Party

EXACT_KINDS = (ContactKind.MOBILE, ContactKind.EMAIL, ContactKind.WECHAT)
REASONS = {
    ContactKind.MOBILE: _("same mobile number"),
    ContactKind.EMAIL: _("same email"),
    ContactKind.WECHAT: _("same WeChat ID"),
    ContactKind.ADDRESS: _("same name at the same address"),
}


@dataclass(frozen=True)
class DuplicateMatch:
    party: Party
    reason: str
    value: str


class DuplicatePartyError(Exception):
    """Raised by services instead of creating a second record of one party."""

    def __init__(self, matches: list[DuplicateMatch]):
        super().__init__(f"{len(matches)} existing record(s) match")
        self.matches = matches


def duplicate_candidates(
    *, name_key: str, contacts: list[tuple[str, str]], exclude_party_id: int | None = None
) -> list[DuplicateMatch]:
    """Existing parties matching the given name key and (kind, normalized) contacts."""
    found: dict[int, DuplicateMatch] = {}
    exact = [(k, n) for k, n in contacts if k in EXACT_KINDS and n]
    addresses = [n for k, n in contacts if k == ContactKind.ADDRESS and n]
    for kind, normalized in exact:
        rows = ContactPoint.objects.filter(kind=kind, normalized=normalized)
        if exclude_party_id:
            rows = rows.exclude(party_id=exclude_party_id)
        for cp in rows.select_related("party__owner__org_unit")[:10]:
            found.setdefault(cp.party_id, DuplicateMatch(cp.party, str(REASONS[kind]), cp.value))
    if addresses and name_key:
        rows = ContactPoint.objects.filter(
            kind=ContactKind.ADDRESS, normalized__in=addresses, party__name_key=name_key
        )
        if exclude_party_id:
            rows = rows.exclude(party_id=exclude_party_id)
        for cp in rows.select_related("party__owner__org_unit")[:10]:
            found.setdefault(
                cp.party_id,
                DuplicateMatch(cp.party, str(REASONS[ContactKind.ADDRESS]), cp.display_value),
            )
    return list(found.values())
