from .consent import Consent
from .contacts import ContactPoint
from .imports import ImportBatch, ImportRecord
from .interactions import Interaction
from .matching import DistinctPair, DuplicateMember, DuplicateReview, FieldConflict, MatchKey, Merge
from .parties import Party, PartyRole, PartyShare, Tag

__all__ = [
    "Consent",
    "ContactPoint",
    "DistinctPair",
    "DuplicateMember",
    "DuplicateReview",
    "FieldConflict",
    "ImportBatch",
    "ImportRecord",
    "Interaction",
    "MatchKey",
    "Merge",
    "Party",
    "PartyRole",
    "PartyShare",
    "Tag",
]
