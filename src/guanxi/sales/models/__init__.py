from guanxi.sales.models.approvals import ApprovalPolicy, ApprovalRequest, ApprovalStep
from guanxi.sales.models.contracts import Collection, Contract, ContractAttachment, Instalment  # noqa: E501
from guanxi.sales.models.followup import FollowUpTask
from guanxi.sales.models.leads import AssignmentRule, Lead
from guanxi.sales.models.pipeline import Opportunity, Pipeline, Stage, StageChange
from guanxi.sales.models.pool import Claim, PoolPolicy
from guanxi.sales.models.quotes import Quote, QuoteEvent, QuoteLine, QuoteSequence
from guanxi.sales.models.recycle import RecycleNotice
from guanxi.sales.models.scoring import LeadScore, ScoringModel
from guanxi.sales.models.targets import SalesTarget
from guanxi.sales.models.work_reports import ReportComment, WorkReport

__all__ = [
    "Collection",
    "Contract",
    "ContractAttachment",
    "Instalment",
    "SalesTarget",
    "ApprovalPolicy",
    "ApprovalRequest",
    "ApprovalStep",
    "AssignmentRule",
    "Claim",
    "Lead",
    "LeadScore",
    "Opportunity",
    "Pipeline",
    "PoolPolicy",
    "Quote",
    "QuoteEvent",
    "QuoteLine",
    "QuoteSequence",
    "ScoringModel",
    "RecycleNotice",
    "Stage",
    "StageChange",
    "FollowUpTask",
    "ReportComment",
    "WorkReport",
]
