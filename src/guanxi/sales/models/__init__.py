from guanxi.sales.models.leads import AssignmentRule, Lead
from guanxi.sales.models.pool import Claim, PoolPolicy

__all__ = ["AssignmentRule", "Claim", "Lead", "PoolPolicy"]
