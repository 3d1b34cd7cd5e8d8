"""`guanxi commissions run|commit|compare|check`: commission runs and plan checks.

`run` with --distributors and --orders computes from files and touches no database;
without them it runs the period on the database as a preview, which `commit` closes.
"""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from guanxi.network.engine.errors import InputError


def _messages(exc: ValidationError) -> str:
    return "\n".join(exc.messages)


class Command(BaseCommand):
    help = "Compute commissions for a period; compare two plans; check a plan's compliance."
    requires_system_checks = []  # file runs need no database or URLs; checks cost 0.6 s

    def add_arguments(self, parser):
        from guanxi.network.cli import add_arguments

        add_arguments(parser)

    def handle(self, *args, **options):
        try:
            getattr(self, "_" + options["action"])(options)
        except InputError as exc:
            raise CommandError(exc.translated(_)) from exc
        except ValidationError as exc:
            raise CommandError(_messages(exc)) from exc
        except OSError as exc:
            raise CommandError(str(exc)) from exc

    def _json(self, report) -> None:
        self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2, default=str))

    def _files(self, options) -> bool:
        given = [options["distributors"] is not None, options["orders"] is not None]
        if any(given) and not all(given):
            raise CommandError(_("Give both --distributors and --orders, or neither."))
        return all(given)

    def _run(self, options):
        from guanxi.network import whatif
        from guanxi.network.cli import file_report

        if self._files(options):
            self._json(file_report(options))
            return
        plan = whatif.load_plan(options["plan"])
        from guanxi.network.services.plans import plan_save
        from guanxi.network.services.runs import commission_run

        path = Path(options["plan"])
        version = plan_save(
            actor=None,
            name=plan.name or path.stem,
            source=path.read_text(encoding="utf-8"),
            profile=options["profile"] if options["profile"] is not None else _stored_profile(plan),
        )
        run = commission_run(actor=None, plan_version=version, period=options["period"])
        self._json(_run_report(run))

    def _commit(self, options):
        from guanxi.network.choices import RunStatus
        from guanxi.network.models import CommissionRun
        from guanxi.network.services.runs import commission_commit

        runs = CommissionRun.objects.filter(period__period=options["period"])
        if options["run"]:
            run = runs.filter(number=options["run"]).first()
        else:
            run = runs.filter(status=RunStatus.PREVIEW).order_by("-number").first()
        if run is None:
            raise CommandError(_("No such preview run for %(period)s.") % options)
        self._json(_run_report(commission_commit(actor=None, run=run)))

    def _compare(self, options):
        from guanxi.network.cli import file_report

        if not self._files(options):
            raise CommandError(_("compare needs --distributors and --orders."))
        self._json(file_report(options))

    def _check(self, options):
        from guanxi.network.compliance import data_violations, describe, plan_violations

        source = Path(options["plan"]).read_text(encoding="utf-8")
        violations = plan_violations(source)
        if not options["no_data"]:
            violations += data_violations()
        for violation in violations:
            self.stdout.write(describe(violation))
        if violations:
            raise CommandError(
                _("%(n)s violation(s) of the %(profile)s profile.")
                % {"n": len(violations), "profile": options["profile"]}
            )
        self.stdout.write(_("No violation of the %(profile)s profile.") % options)


def _stored_profile(plan) -> str:
    from guanxi.network.models import CompensationPlan

    stored = CompensationPlan.objects.filter(name=plan.name).values_list("profile", flat=True)
    return stored.first() or ""


def _run_report(run) -> dict:
    return {
        "period": run.period.period,
        "run": run.number,
        "status": run.status,
        "plan": str(run.plan_version),
        "members": run.members,
        "paid_members": run.paid_members,
        "bv": run.bv,
        "payout": run.payout,
        "adjustments": run.adjustments,
        "payout_ratio": round(run.payout_ratio, 4) if run.payout_ratio is not None else None,
        "seconds": run.seconds,
    }
