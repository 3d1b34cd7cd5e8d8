"""Lead scoring, the adapter around the pure engine (sales/scoring/): train a model
version from the decided history, score open leads with it (the daily job and
`guanxi sales_score`), and score a new lead when it arrives.

A score is derived data, recomputed daily for every open lead: it is not audited per
lead (that would be an audit row per open lead per day); each trained model version is.
"""

import datetime
import math

import numpy as np
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.audit import audit_record
from guanxi.core.choices import AuditAction, Role
from guanxi.sales.choices import OPEN_LEAD_STATUSES
from guanxi.sales.models import Lead, LeadScore, ScoringModel
from guanxi.sales.scoring import LEAD_SPEC, LogisticModel, Table, auc, logistic_fit, naive_bayes_fit
from guanxi.sales.scoring.logistic import top_factors
from guanxi.sales.selectors_scoring import History, decided_history, lead_features

MIN_EACH = 10  # fewer won (or lost) leads than this and a model would be noise
HOLDOUT = 0.2  # the newest fifth of the history tests a model trained on the rest
KEEP_VERSIONS = 5
BATCH = 2000
_engines: dict[int, LogisticModel] = {}  # model versions never change once saved


def scoring_model_current() -> ScoringModel | None:
    return ScoringModel.objects.order_by("-trained_at", "-id").first()


def _engine(model: ScoringModel) -> LogisticModel:
    if model.pk not in _engines:
        _engines[model.pk] = LogisticModel.from_json(model.parameters)
    return _engines[model.pk]


def _holdout_auc(history: History) -> tuple[float | None, float | None]:
    """(ours, naive Bayes) trained on the older leads' snapshots, tested on the newest
    leads' (a lead's snapshots stay on one side)."""
    cut = int(len(history.lead_ids) * (1 - HOLDOUT))
    train = np.flatnonzero(history.lead < cut)
    test = np.flatnonzero(history.lead >= cut)
    won, table = history.won, history.table
    if min(won[train].sum(), (~won[train]).sum()) < MIN_EACH or len(set(won[test])) < 2:
        return None, None
    ours = logistic_fit(table.take(train), won[train], spec=LEAD_SPEC)
    nb = naive_bayes_fit(table.take(train), won[train], spec=LEAD_SPEC)
    held = table.take(test)
    return auc(won[test], ours.predict(held)), auc(won[test], nb.predict(held))


def scoring_model_train(
    *, actor=None, now: datetime.datetime | None = None, limit: int = 200_000
) -> ScoringModel | None:
    """Learn from the newest `limit` decided leads; None while there are fewer than
    MIN_EACH won or lost ones. The system (actor None) or an administrator."""
    if actor is not None and not (actor.is_superuser or actor.role == Role.ADMIN):
        raise PermissionDenied(_("Only an administrator may retrain lead scoring."))
    now = now or timezone.now()
    history = decided_history(now=now, limit=limit)
    n_won = int(history.outcome.sum())
    n_lost = len(history.outcome) - n_won
    if min(n_won, n_lost) < MIN_EACH:
        return None
    ours, baseline = _holdout_auc(history)
    engine = logistic_fit(history.table, history.won, spec=LEAD_SPEC)
    # Only the writes in a transaction: the fits above take seconds and lock nothing.
    with transaction.atomic():
        model = ScoringModel(
            trained_at=now,
            parameters=engine.to_json(),
            won_count=n_won,
            lost_count=n_lost,
            holdout_auc=ours,
            baseline_auc=baseline,
        )
        model.full_clean()
        model.save()
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=model,
            changes={
                "won": [None, model.won_count],
                "lost": [None, model.lost_count],
                "holdout_auc": [None, ours],
            },
        )
        old = ScoringModel.objects.order_by("-trained_at", "-id")[KEEP_VERSIONS:]
        ScoringModel.objects.filter(pk__in=list(old.values_list("pk", flat=True))).delete()
    _engines.clear()  # older versions are rarely scored with again
    _engines[model.pk] = engine
    return model


def _value(table: Table, name: str, row: int):
    value = table.columns[name][row]
    if isinstance(value, str):
        return value
    return None if math.isnan(value) else round(float(value), 1)


def _factors(table: Table, row: int, found: list[tuple[str, float]]) -> list[dict]:
    return [
        {"field": name, "value": _value(table, name, row), "weight": round(weight, 3)}
        for name, weight in found
    ]


@transaction.atomic
def _score_batch(engine: LogisticModel, model: ScoringModel, ids: list[int], now) -> None:
    lead_ids, table = lead_features(Lead.objects.filter(pk__in=ids), now=now)
    if not lead_ids:
        return
    probability, contributions = engine.explain(table)
    found = top_factors(contributions, engine.fields)
    scores = np.clip(np.rint(probability * 100), 0, 100).astype(int)
    by_score: dict[int, list[int]] = {}
    for lead_id, score in zip(lead_ids, scores, strict=True):
        by_score.setdefault(int(score), []).append(lead_id)
    for score, same in by_score.items():  # at most 101 updates per batch
        Lead.objects.filter(pk__in=same).update(score=score)
    LeadScore.objects.bulk_create(
        [
            LeadScore(
                lead_id=lead_id,
                model=model,
                probability=round(float(probability[i]), 4),
                factors=_factors(table, i, found[i]),
                scored_at=now,
            )
            for i, lead_id in enumerate(lead_ids)
        ],
        update_conflicts=True,
        unique_fields=["lead"],
        update_fields=["model", "probability", "factors", "scored_at"],
    )


def leads_score(
    *,
    leads: QuerySet | None = None,
    model: ScoringModel | None = None,
    now: datetime.datetime | None = None,
) -> int:
    """Score the open leads (all, or those of `leads`) with the newest model (or
    `model`), in committed batches; how many were scored."""
    model = model or scoring_model_current()
    if model is None:
        return 0
    engine, now = _engine(model), now or timezone.now()
    qs = Lead.objects.all() if leads is None else leads
    ids = list(qs.filter(status__in=OPEN_LEAD_STATUSES).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        _score_batch(engine, model, ids[start : start + BATCH], now)
    return len(ids)


def scoring_refresh(*, now: datetime.datetime | None = None) -> int:
    """The daily job: retrain on the history, then rescore every open lead."""
    now = now or timezone.now()
    model = scoring_model_train(now=now) or scoring_model_current()
    return leads_score(model=model, now=now) if model else 0


def lead_score_on_arrival(*, lead: Lead) -> None:
    """Queue the scoring of a new lead once it is committed (when a model exists)."""
    if not ScoringModel.objects.exists():
        return
    from guanxi.sales.tasks import lead_score_task

    transaction.on_commit(lambda: lead_score_task.enqueue(lead_id=lead.pk))
