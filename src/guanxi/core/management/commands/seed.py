"""`guanxi seed --customers N --interactions M`: bulk-load synthetic Chinese customers."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from guanxi.core.audit import audit_record
from guanxi.core.choices import AuditAction, Role
from guanxi.core.models import OrgUnit, User
from guanxi.core.services.org import org_unit_create, user_create
from guanxi.customers.sample.bulk import seed_interactions, seed_parties


def _seed_owners(count: int) -> list[User]:
    """Reps to own the seeded customers, spread over a few teams (created once)."""
    existing = list(User.objects.filter(username__startswith="seedrep").order_by("pk"))
    if len(existing) >= count:
        return existing[:count]
    root = OrgUnit.objects.filter(code="seed").first() or org_unit_create(
        actor=None, name="压测公司", code="seed"
    )
    teams = [
        OrgUnit.objects.filter(code=f"seed-team-{i}").first()
        or org_unit_create(actor=None, name=f"压测{i}组", code=f"seed-team-{i}", parent=root)
        for i in range(max(1, count // 10))
    ]
    for i in range(len(existing), count):
        existing.append(
            user_create(
                actor=None,
                username=f"seedrep{i}",
                password=None,
                role=Role.SALES_REP,
                org_unit=teams[i % len(teams)],
                display_name=f"压测销售{i}",
            )
        )
    return existing


class Command(BaseCommand):
    help = "Bulk-load synthetic customers (with a mobile each) and interactions."

    def add_arguments(self, parser):
        parser.add_argument("--customers", type=int, required=True)
        parser.add_argument("--interactions", type=int, default=0)
        parser.add_argument("--owners", type=int, default=50, help="number of seeded reps")
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, customers, interactions, owners, seed, **options):
        if customers < 1 or interactions < 0 or owners < 1:
            raise CommandError("--customers and --owners must be positive.")
        started = time.perf_counter()
        reps = _seed_owners(owners)
        owner_ids = [u.pk for u in reps]
        bar = Progress(self.stdout)
        ids = seed_parties(
            count=customers, owner_ids=owner_ids, seed=seed, progress=bar.callback("customers")
        )
        parties_done = time.perf_counter()
        if interactions:
            seed_interactions(
                count=interactions,
                party_ids=ids,
                owner_ids=owner_ids,
                seed=seed + 1,
                progress=bar.callback("interactions"),
            )
        with connection.cursor() as cursor:
            # Fresh statistics for the planner; on PostgreSQL VACUUM also sets the
            # visibility map so searches can be index-only scans.
            vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        audit_record(
            actor=None,
            action=AuditAction.CREATE,
            obj=reps[0],
            changes={
                "seeded_customers": [None, customers],
                "seeded_interactions": [None, interactions],
            },
        )
        total = time.perf_counter() - started
        self.stdout.write(
            f"\nseeded {customers} customers in {parties_done - started:.1f}s, "
            f"{interactions} interactions; total {total:.1f}s"
        )


class Progress:
    """A one-line progress bar on the terminal."""

    def __init__(self, out):
        self.out = out

    def callback(self, label):
        def report(done, total):
            width = 30
            filled = int(width * done / total) if total else width
            self.out.write(
                f"\r{label:<13} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending=""
            )
            self.out.flush()

        return report
