"""The CN profile over plans and data: `guanxi commissions check` and the plan page.

Plan rules live in engine.compliance; here are the rules on the database: every active
distributor attests Art. 15's conditions and holds a seller certificate, sales outside a
seller's service region are flagged, and a run never pays above 30% of own sales.
"""

from django.db.models import F, Q
from django.utils.translation import gettext as _

from guanxi.network.choices import ComplianceProfile, DistributorStatus
from guanxi.network.engine.compliance import (
    ART_15,
    ART_18,
    ART_24,
    CAP,
    Violation,
    check_plan,
    check_source,
    without_forbidden_keys,
)
from guanxi.network.engine.errors import gettext_noop
from guanxi.network.engine.plan import parse_plan
from guanxi.network.models import ATTESTATIONS, CommissionResult, Distributor, VolumeEntry

SAMPLE = 20  # members named per kind of violation; the count says how many in all


def describe(violation: Violation) -> str:
    message = _(violation.message) % violation.params if violation.params else _(violation.message)
    return f"{_(violation.article)} — {violation.where}: {message}"


def plan_violations(source: str) -> list[Violation]:
    """What the CN profile forbids in a plan's text (PlanError when it is no plan)."""
    return check_source(source) + check_plan(parse_plan(without_forbidden_keys(source)))


def data_violations() -> list[Violation]:
    """Active distributors without attestations or certificate; sales outside region."""
    found = []
    active = Distributor.objects.filter(status=DistributorStatus.ACTIVE)
    missing = Q()
    for name, _label in ATTESTATIONS:
        missing |= Q(**{name: False})
    for queryset, article, message in (
        (active.filter(missing), ART_15, gettext_noop("eligibility attestations are missing")),
        (
            active.filter(certificate_no=""),
            ART_18,
            gettext_noop("no direct-seller certificate (直销员证)"),
        ),
    ):
        for member_id in queryset.values_list("member_id", flat=True)[:SAMPLE]:
            found.append(Violation(article, message, member_id, {}))
    outside = (
        VolumeEntry.objects.exclude(region="")
        .exclude(distributor__service_region="")
        .exclude(region=F("distributor__service_region"))
        .values_list("distributor__member_id", "source_ref", "region")
    )
    for member_id, ref, region in outside[:SAMPLE]:
        found.append(
            Violation(
                gettext_noop("service region"),
                gettext_noop("sale %(ref)s in %(region)s, outside the service region"),
                member_id,
                {"ref": ref, "region": region},
            )
        )
    return found


def cap_violations(run) -> list[str]:
    """For a CN-profile plan: members paid above 30% of their own net sales in `run`."""
    if run.profile != ComplianceProfile.CN:
        return []
    over = (
        CommissionResult.objects.filter(run=run, total__gt=0)
        .filter(Q(total__gt=F("amount") * CAP) | Q(amount__lte=0))
        .select_related("distributor")
        .order_by("-total")
    )
    return [
        _("%(member)s: %(total)s is more than 30%% of own sales of %(amount)s (%(article)s)")
        % {
            "member": r.distributor.member_id,
            "total": r.total,
            "amount": r.amount,
            "article": _(ART_24),
        }
        for r in over[:SAMPLE]
    ]
