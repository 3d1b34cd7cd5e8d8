"""Leads (线索): capture from any source, matched against the shared database on arrival,
handed out by the assignment rules, and moved along until converted or disqualified."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.audit import audit_record
from guanxi.core.choices import AuditAction, Role, UserKind
from guanxi.core.models import User
from guanxi.core.visibility import Action, role_allows
from guanxi.customers.choices import ContactKind, Source
from guanxi.customers.duplicates import duplicate_candidates
from guanxi.customers.normalize import name_key
from guanxi.customers.services.contacts import ContactSpec, normalize_contact
from guanxi.customers.services.self_service import party_register
from guanxi.sales.choices import (
    LEAD_PROGRESS,
    OPEN_LEAD_STATUSES,
    AssignStrategy,
    LeadSource,
    LeadStatus,
)
from guanxi.sales.models import AssignmentRule, Claim, Lead
from guanxi.sales.services.pool import claim_convert, claim_take, claim_touch, pool_policy

PARTY_SOURCE = {
    LeadSource.WEB_FORM: Source.WEB_FORM,
    LeadSource.CALL_IN: Source.CALL_IN,
    LeadSource.IBO_REFERRAL: Source.IBO_REFERRAL,
    LeadSource.CAMPAIGN: Source.DIRECT_RESPONSE_AD,
}


def _require_capture(actor) -> None:
    if actor is None:
        return  # the system: a web form or an integration
    if actor.kind == UserKind.DISTRIBUTOR:
        return  # an IBO's referral
    if not role_allows(actor, Action.CREATE):
        raise PermissionDenied(_("You do not have permission to add leads."))


def _contacts(mobile: str, email: str, wechat: str) -> list[ContactSpec]:
    specs = []
    for kind, value in (
        (ContactKind.MOBILE, mobile),
        (ContactKind.EMAIL, email),
        (ContactKind.WECHAT, wechat),
    ):
        if value.strip():
            specs.append(ContactSpec(kind, value.strip(), is_primary=True))
            normalize_contact(specs[-1], field=kind)  # a field error named after the kind
    if not specs:
        raise ValidationError({"mobile": _("Give a mobile, an email or a WeChat ID.")})
    return specs


@transaction.atomic
def lead_capture(
    *,
    actor,
    name: str,
    source: str,
    mobile: str = "",
    email: str = "",
    wechat: str = "",
    province: str = "",
    response_code: str = "",
    interest: str = "",
    notes: str = "",
    now: datetime.datetime | None = None,
) -> Lead:
    """Record a lead. A person the database knows (same mobile, email or WeChat) gets the
    lead on their record, and whoever owns them is shown (no 撞单); someone new joins the
    pool and the assignment rules hand them to a rep."""
    _require_capture(actor)
    name = name.strip()
    if not name or len(name) > 200:
        raise ValidationError({"name": _("Enter a name of at most 200 characters.")})
    if source not in LeadSource.values:
        raise ValidationError({"source": _("Choose where the lead came from.")})
    specs = _contacts(mobile, email, wechat)
    now = now or timezone.now()
    keys = [(s.kind, normalize_contact(s)[2]) for s in specs]
    matches = duplicate_candidates(name_key=name_key(name), contacts=keys)
    party = (
        matches[0].party
        if matches
        else party_register(
            actor=actor, name=name, source=PARTY_SOURCE.get(source, Source.OTHER), specs=specs
        )
    )
    while party.merged_into_id:
        party = party.merged_into
    referred_by = None
    if actor is not None and actor.kind == UserKind.DISTRIBUTOR:
        from guanxi.commerce.services.access import own_distributor

        referred_by, source = own_distributor(actor), LeadSource.IBO_REFERRAL
    lead = Lead.objects.create(
        party=party,
        source=source,
        response_code=response_code.strip()[:40],
        interest=interest.strip()[:200],
        notes=notes.strip(),
        existing_owner=party.owner,
        referred_by=referred_by,
        created_by=actor if getattr(actor, "pk", None) else None,
        created_at=now,
        status_changed_at=now,
        province=province.strip()[:20],
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=lead,
        subject=party,
        changes={"lead": [None, lead.pk], "source": [None, source]},
    )
    if party.owner_id is None and lead_assign(lead=lead, province=province, now=now):
        lead.party.refresh_from_db()
    from guanxi.sales.services.scoring import lead_score_on_arrival

    lead_score_on_arrival(lead=lead)
    return lead


def _rule_for(source: str, province: str) -> AssignmentRule | None:
    for rule in AssignmentRule.objects.filter(is_active=True).select_related("team"):
        provinces, sources = rule.province_list(), rule.source_list()
        if (not provinces or province in provinces) and (not sources or source in sources):
            return rule
    return None


def _candidates(rule: AssignmentRule) -> list[User]:
    """Active reps of the rule's team (its whole subtree) under both caps, by id."""
    cap = pool_policy().max_claims
    if rule.load_cap:
        cap = min(cap, rule.load_cap)
    reps = (
        User.objects.filter(
            is_active=True,
            kind=UserKind.STAFF,
            role=Role.SALES_REP,
            org_unit__path__startswith=rule.team.path,
        )
        .annotate(held=Count("claims", filter=Q(claims__ended_at__isnull=True)))
        .filter(held__lt=cap)
        .order_by("id")
    )
    return list(reps)


def lead_assign(*, lead: Lead, province: str = "", now=None) -> Claim | None:
    """Hand a pool lead to a rep by the first matching rule; None when no rule or rep fits
    (it stays in the pool for anyone to claim)."""
    rule = _rule_for(lead.source, province)
    if rule is None:
        return None
    rule = AssignmentRule.objects.select_for_update().get(pk=rule.pk)  # one hand-out at a time
    reps = _candidates(rule)
    if not reps:
        return None
    if rule.strategy == AssignStrategy.LEAST_LOADED:
        rep = min(reps, key=lambda r: (r.held, r.pk))
    else:
        after = [r for r in reps if rule.last_assigned_id is None or r.pk > rule.last_assigned_id]
        rep = (after or reps)[0]
    claim = claim_take(actor=None, party=lead.party, for_user=rep, now=now)
    rule.last_assigned = rep
    rule.save(update_fields=["last_assigned"])
    return claim


@transaction.atomic
def lead_status_change(*, actor, lead: Lead, status: str, now=None) -> Lead:
    """Move a lead on; forward is progress for the claim, converted wins the customer."""
    from guanxi.core.visibility import can

    if not can(actor, Action.CHANGE, lead.party):
        raise PermissionDenied(_("You may not change this lead."))
    if status not in LeadStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    if lead.status not in OPEN_LEAD_STATUSES:
        raise ValidationError({"status": _("This lead is closed.")})
    now = now or timezone.now()
    before = lead.status
    lead.status, lead.status_changed_at = status, now
    lead.save(update_fields=["status", "status_changed_at"])
    forward = status in LEAD_PROGRESS and LEAD_PROGRESS.index(status) > LEAD_PROGRESS.index(before)
    if forward:
        claim_touch(party_id=lead.party_id, user_id=actor.pk, progress=now)
    if status == LeadStatus.CONVERTED:
        claim_convert(party_id=lead.party_id, now=now)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=lead,
        subject=lead.party,
        changes={"status": [before, status]},
    )
    return lead
