"""`guanxi sales_score`: retrain lead scoring on the decided history and rescore the open
leads (what the daily `lead_scoring` job does), or only one of the two."""

from django.core.management.base import BaseCommand, CommandError

from guanxi.sales.services.scoring import leads_score, scoring_model_current, scoring_model_train


def _auc(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


class Command(BaseCommand):
    help = "Retrain lead scoring from won/lost leads and rescore the open leads."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--train-only", action="store_true", help="train, do not rescore")
        which.add_argument(
            "--score-only", action="store_true", help="rescore with the newest model"
        )
        parser.add_argument(
            "--limit",
            type=int,
            default=200_000,
            help="learn from at most this many of the newest decided leads (default 200000)",
        )

    def handle(self, *args, train_only=False, score_only=False, limit=200_000, **options):
        if limit < 1:
            raise CommandError("--limit must be at least 1")
        model = None if score_only else scoring_model_train(limit=limit)
        if not score_only:
            if model is None:
                self.stdout.write("not trained: too few won or lost leads yet")
            else:
                self.stdout.write(
                    f"model {model.pk}: {model.won_count} won, {model.lost_count} lost; "
                    f"held-out AUC {_auc(model.holdout_auc)} "
                    f"(naive Bayes {_auc(model.baseline_auc)})"
                )
        if train_only:
            return
        model = model or scoring_model_current()
        if model is None:
            raise CommandError("no lead scoring model yet: train one first")
        self.stdout.write(f"scored {leads_score(model=model)} open leads with model {model.pk}")
