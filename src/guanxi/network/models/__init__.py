from .distributors import ATTESTATIONS, Distributor, RankAchievement, TeamStat
from .ledger import VolumeEntry
from .runs import (
    CommissionAdjustment,
    CommissionPeriod,
    CommissionResult,
    CommissionRun,
    CompensationPlan,
    HealthReport,
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
    "HealthReport",
    "PlanVersion",
    "RankAchievement",
    "TeamStat",
    "VolumeEntry",
]
