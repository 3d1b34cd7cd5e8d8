"""Every write to the customer database goes through these functions."""

from .consent import consent_record
from .contacts import contact_point_add, contact_point_remove, contact_point_update
from .interactions import follow_up_done, interaction_log
from .parties import (
    party_create,
    party_delete,
    party_share,
    party_unshare,
    party_update,
)
from .transfer import parties_transfer, transfer_validate

__all__ = [
    "consent_record",
    "contact_point_add",
    "contact_point_remove",
    "contact_point_update",
    "follow_up_done",
    "interaction_log",
    "parties_transfer",
    "party_create",
    "party_delete",
    "party_share",
    "party_unshare",
    "party_update",
    "transfer_validate",
]
