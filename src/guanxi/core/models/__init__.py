from .audit import AuditEvent
from .jobs import Job
from .org import OrgUnit
from .tokens import ApiToken
from .users import User

__all__ = ["ApiToken", "AuditEvent", "Job", "OrgUnit", "User"]
