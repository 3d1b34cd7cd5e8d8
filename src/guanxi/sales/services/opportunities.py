"""Opportunities (商机): open on a customer, move through a pipeline's stages, close won
or lost. Each move is a StageChange (the funnel's raw data) and progress for the claim."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.audit import audit_record
from guanxi.core.choices import AuditAction
from guanxi.core.visibility import Action, can
from guanxi.sales.choices import OpportunityState
from guanxi.sales.models import Opportunity, Pipeline, Stage, StageChange
from guanxi.sales.services.pool import claim_convert, claim_touch

DEFAULT_STAGES = [("初步接洽", 10), ("需求确认", 30), ("方案报价", 60), ("谈判审批", 80)]


def pipeline_default() -> Pipeline:
    """The first active pipeline, created with the standard stages if there is none."""
    pipeline = Pipeline.objects.filter(is_active=True).first()
    if pipeline is None:
        pipeline = Pipeline.objects.create(name="标准销售流程")
        for i, (name, probability) in enumerate(DEFAULT_STAGES):
            Stage.objects.create(pipeline=pipeline, name=name, position=i, probability=probability)
    return pipeline


def _require(actor, party) -> None:
    if not can(actor, Action.CHANGE, party):
        raise PermissionDenied(_("You may not work on deals of this customer."))


@transaction.atomic
def opportunity_create(
    *,
    actor,
    party,
    title: str,
    pipeline: Pipeline | None = None,
    amount: Decimal = Decimal(0),
    expected_close: datetime.date | None = None,
    products: str = "",
    competitors: str = "",
    lead=None,
    now: datetime.datetime | None = None,
) -> Opportunity:
    _require(actor, party)
    pipeline = pipeline or pipeline_default()
    first = pipeline.stages.order_by("position").first()
    if first is None:
        raise ValidationError({"pipeline": _("This pipeline has no stages.")})
    if not title.strip():
        raise ValidationError({"title": _("Give the deal a title.")})
    if Decimal(amount) < 0:
        raise ValidationError({"amount": _("The amount cannot be negative.")})
    now = now or timezone.now()
    opportunity = Opportunity.objects.create(
        party=party,
        title=title.strip()[:200],
        owner=actor,
        pipeline=pipeline,
        stage=first,
        amount=Decimal(amount).quantize(Decimal("0.01")),
        expected_close=expected_close,
        products=products.strip()[:300],
        competitors=competitors.strip()[:300],
        lead=lead,
        created_at=now,
        stage_entered_at=now,
    )
    _record_change(
        opportunity=opportunity, to_stage=first, state=OpportunityState.OPEN, at=now, actor=actor
    )
    claim_touch(party_id=party.pk, user_id=actor.pk, progress=now)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=opportunity,
        subject=party,
        changes={"title": [None, opportunity.title], "amount": [None, str(opportunity.amount)]},
    )
    return opportunity


def _record_change(*, opportunity: Opportunity, to_stage: Stage, at, **fields) -> None:
    """Write a StageChange and keep the funnel's summaries in step: the deal's previous
    change is left at `at`, and its furthest stage reached is raised if need be."""
    StageChange.objects.filter(opportunity=opportunity, left_at__isnull=True).update(left_at=at)
    StageChange.objects.create(opportunity=opportunity, to_stage=to_stage, at=at, **fields)
    reached = max(opportunity.reached_position or 0, to_stage.position)
    if reached != opportunity.reached_position:
        Opportunity.objects.filter(pk=opportunity.pk).update(reached_position=reached)
        opportunity.reached_position = reached


def stage_summaries_fill() -> None:
    """Recompute the funnel's summaries (StageChange.left_at, Opportunity.reached_position)
    from the whole stage history, for histories written in bulk rather than through
    _record_change (benchmark seeding). The same SQL as migration 0011."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE sales_stagechange SET left_at = ("
            " SELECT n.at FROM sales_stagechange n"
            " WHERE n.opportunity_id = sales_stagechange.opportunity_id"
            " AND (n.at > sales_stagechange.at"
            " OR (n.at = sales_stagechange.at AND n.id > sales_stagechange.id))"
            " ORDER BY n.at, n.id LIMIT 1)"
        )
        cursor.execute(
            "UPDATE sales_opportunity SET reached_position = ("
            " SELECT MAX(st.position) FROM sales_stagechange c"
            " JOIN sales_stage st ON st.id = c.to_stage_id"
            " WHERE c.opportunity_id = sales_opportunity.id)"
        )


def _locked_open(opportunity: Opportunity) -> Opportunity:
    opportunity = (
        Opportunity.objects.select_for_update().select_related("party").get(pk=opportunity.pk)
    )
    if opportunity.state != OpportunityState.OPEN:
        raise ValidationError({"stage": _("This deal is closed.")})
    from guanxi.sales.services.approvals import require_unlocked

    require_unlocked(SUBJECT, opportunity.pk)
    return opportunity


@transaction.atomic
def opportunity_move(*, actor, opportunity: Opportunity, stage: Stage, now=None) -> Opportunity:
    """Put an open deal in another stage of its pipeline (the kanban's drag)."""
    opportunity = _locked_open(opportunity)
    _require(actor, opportunity.party)
    if stage.pipeline_id != opportunity.pipeline_id:
        raise ValidationError({"stage": _("Choose a stage of this deal's pipeline.")})
    if stage.pk == opportunity.stage_id:
        return opportunity
    now = now or timezone.now()
    before = opportunity.stage
    opportunity.stage, opportunity.stage_entered_at = stage, now
    opportunity.save(update_fields=["stage", "stage_entered_at"])
    _record_change(
        opportunity=opportunity,
        from_stage=before,
        to_stage=stage,
        state=OpportunityState.OPEN,
        at=now,
        actor=actor,
    )
    if stage.position > before.position:
        claim_touch(party_id=opportunity.party_id, user_id=actor.pk, progress=now)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=opportunity,
        subject=opportunity.party,
        changes={"stage": [before.name, stage.name]},
    )
    return opportunity


@transaction.atomic
def opportunity_close(
    *, actor, opportunity: Opportunity, won: bool, reason: str = "", now=None
) -> Opportunity:
    """Win (the customer stays the rep's: their claim ends as won) or lose (say why)."""
    opportunity = _locked_open(opportunity)
    _require(actor, opportunity.party)
    if not won and not reason.strip():
        raise ValidationError({"close_reason": _("Say why the deal was lost.")})
    now = now or timezone.now()
    state = OpportunityState.WON if won else OpportunityState.LOST
    opportunity.state, opportunity.closed_at = state, now
    opportunity.close_reason = reason.strip()[:200]
    opportunity.save(update_fields=["state", "closed_at", "close_reason"])
    _record_change(
        opportunity=opportunity,
        from_stage=opportunity.stage,
        to_stage=opportunity.stage,
        state=state,
        at=now,
        actor=actor,
    )
    if won:
        claim_convert(party_id=opportunity.party_id, now=now)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=opportunity,
        subject=opportunity.party,
        changes={"state": [OpportunityState.OPEN, state], "reason": opportunity.close_reason},
    )
    return opportunity


SUBJECT = "sales.opportunity"


@transaction.atomic
def discount_request(*, actor, opportunity: Opportunity, percent: Decimal, now=None) -> object:
    """Ask for a discount on a deal: up to the policy's threshold it applies at once;
    above it, it waits for the approval chain and the deal is locked meanwhile."""
    from guanxi.sales.choices import ApprovalKind
    from guanxi.sales.services.approvals import approval_policy, approval_request

    opportunity = _locked_open(opportunity)
    _require(actor, opportunity.party)
    percent = Decimal(percent).quantize(Decimal("0.01"))
    if not 0 <= percent <= 100:
        raise ValidationError({"discount_pct": _("A discount is from 0 to 100 %.")})
    if percent <= approval_policy(ApprovalKind.DISCOUNT).threshold:
        _apply_discount(opportunity, percent, actor)
        return opportunity
    return approval_request(
        actor=actor,
        kind=ApprovalKind.DISCOUNT,
        subject_type=SUBJECT,
        subject_id=opportunity.pk,
        summary=_discount_summary(opportunity, percent),
        payload={"percent": str(percent)},
        now=now,
    )


def _discount_summary(opportunity: Opportunity, percent) -> str:
    return _("%(pct)s%% discount on %(deal)s (¥%(amount)s)") % {
        "pct": percent,
        "deal": opportunity.title,
        "amount": opportunity.amount,
    }


def _describe_discount(request) -> str:
    """The request's summary in the active language (the deal is locked meanwhile)."""
    deal = Opportunity.objects.get(pk=request.subject_id)
    return _discount_summary(deal, Decimal(request.payload["percent"]))


def _apply_discount(opportunity: Opportunity, percent: Decimal, actor) -> None:
    before = opportunity.discount_pct
    Opportunity.objects.filter(pk=opportunity.pk).update(discount_pct=percent)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=opportunity,
        subject=opportunity.party,
        changes={"discount_pct": [str(before), str(percent)]},
    )


def _discount_approved(request) -> None:
    opportunity = Opportunity.objects.select_related("party").get(pk=request.subject_id)
    _apply_discount(opportunity, Decimal(request.payload["percent"]), None)


def _discount_rejected(request) -> None:
    """Nothing to undo: the discount was never applied."""


def _register() -> None:
    from guanxi.sales.choices import ApprovalKind
    from guanxi.sales.services.approvals import register_handler

    register_handler(
        ApprovalKind.DISCOUNT,
        approved=_discount_approved,
        rejected=_discount_rejected,
        describe=_describe_discount,
    )


_register()
