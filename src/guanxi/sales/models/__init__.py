from guanxi.sales.models.approvals import ApprovalPolicy, ApprovalRequest, ApprovalStep
from guanxi.sales.models.leads import AssignmentRule, Lead
from guanxi.sales.models.pipeline import Opportunity, Pipeline, Stage, StageChange
from guanxi.sales.models.pool import Claim, PoolPolicy
from guanxi.sales.models.recycle import RecycleNotice

__all__ = [
    "ApprovalPolicy",
    "ApprovalRequest",
    "ApprovalStep",
    "AssignmentRule",
    "Claim",
    "Lead",
    "Opportunity",
    "Pipeline",
    "PoolPolicy",
    "RecycleNotice",
    "Stage",
    "StageChange",
]
