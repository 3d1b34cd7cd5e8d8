"""Saving compensation plans: every change of the text is a new, numbered version."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guanxi.core.audit import audit_record
from guanxi.core.choices import AuditAction
from guanxi.core.visibility import Action
from guanxi.customers.services.guards import require
from guanxi.network.choices import ComplianceProfile
from guanxi.network.engine.errors import PlanError
from guanxi.network.engine.plan import Plan, parse_plan
from guanxi.network.models import CompensationPlan, PlanVersion


def plan_parse(source: str) -> Plan:
    """The plan, or a ValidationError on `source` in the user's language."""
    try:
        return parse_plan(source)
    except PlanError as exc:
        raise ValidationError({"source": exc.translated(_)}) from exc


@transaction.atomic
def plan_save(*, actor, name: str, source: str, profile: str = "") -> PlanVersion:
    """The plan's latest version with this text, saving a new version when it changed."""
    if actor is not None:
        require(actor, Action.COMMISSIONS)
    plan_parse(source)
    if profile == ComplianceProfile.CN:
        from guanxi.network.compliance import describe, plan_violations

        found = plan_violations(source)
        if found:
            raise ValidationError({"source": [describe(v) for v in found]})
    plan, created = CompensationPlan.objects.select_for_update().get_or_create(
        name=name, defaults={"profile": profile}
    )
    if not created and plan.profile != profile:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=plan,
            changes={"profile": [plan.profile, profile]},
        )
        plan.profile = profile
        plan.save(update_fields=["profile"])
    digest = hashlib.sha256(source.encode()).hexdigest()
    latest = plan.versions.order_by("-number").first()
    if latest and latest.digest == digest:
        return latest
    version = PlanVersion.objects.create(
        plan=plan,
        number=(latest.number + 1) if latest else 1,
        source=source,
        digest=digest,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=version,
        changes={"version": [None, version.number], "digest": [None, digest]},
    )
    return version
