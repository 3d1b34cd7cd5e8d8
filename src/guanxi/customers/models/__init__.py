from .consent import Consent
from .contacts import ContactPoint
from .interactions import Interaction
from .parties import Party, PartyRole, PartyShare, Tag

__all__ = ["Consent", "ContactPoint", "Interaction", "Party", "PartyRole", "PartyShare", "Tag"]
