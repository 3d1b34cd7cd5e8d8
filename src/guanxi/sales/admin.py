"""The pool's rules and the assignment rules are kept by administrators in the admin."""

from django.contrib import admin

from guanxi.sales.models import (
    ApprovalPolicy,
    AssignmentRule,
    Pipeline,
    PoolPolicy,
    ScoringModel,
    Stage,
)


@admin.register(PoolPolicy)
class PoolPolicyAdmin(admin.ModelAdmin):
    list_display = ["protection_days", "follow_up_days", "progress_days", "max_claims"]

    def has_add_permission(self, request):
        return not PoolPolicy.objects.exists()


@admin.register(AssignmentRule)
class AssignmentRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "team", "strategy", "provinces", "sources", "is_active"]
    list_editable = ["position", "is_active"]


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0


@admin.register(Pipeline)
class PipelineAdmin(admin.ModelAdmin):
    """Pipelines per business line, each with its stages and their probabilities."""

    list_display = ["name", "position", "is_active"]
    inlines = [StageInline]


@admin.register(ApprovalPolicy)
class ApprovalPolicyAdmin(admin.ModelAdmin):
    """When discounts, quotes and contracts need approval and how far up it goes."""

    list_display = ["kind", "threshold", "levels", "remind_after_hours"]


@admin.register(ScoringModel)
class ScoringModelAdmin(admin.ModelAdmin):
    """Trained lead scoring versions, read only (`guanxi sales_score` trains one)."""

    list_display = ["trained_at", "won_count", "lost_count", "holdout_auc", "baseline_auc"]
    exclude = ["parameters"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
