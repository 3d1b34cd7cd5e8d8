from .distributors import ATTESTATIONS, Distributor, RankAchievement, TeamStat
from .ledger import VolumeEntry
from .runs import (
    CommissionAdjustment,
    CommissionPeriod,
    CommissionResult,
    CommissionRun,
    CompensationPlan,
    PlanVersion,
)

__all__ = [
    "ATTESTATIONS",
    "CommissionAdjustment",
    "CommissionPeriod",
    "CommissionResult",
    "CommissionRun",
    "CompensationPlan",
    "Distributor",
    "PlanVersion",
    "RankAchievement",
    "TeamStat",
    "VolumeEntry",
]
