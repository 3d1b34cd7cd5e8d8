from .audit import AuditEvent
from .jobs import Job
from .messages import OutboundMessage
from .org import OrgUnit
from .tokens import ApiToken
from .users import User

__all__ = ["ApiToken", "AuditEvent", "Job", "OutboundMessage", "OrgUnit", "User"]
