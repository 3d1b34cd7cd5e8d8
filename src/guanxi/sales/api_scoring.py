"""REST API of lead scoring: the model in use and how well it ranks (the scores
themselves are on the leads, /api/v1/leads)."""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Router, Schema

from guanxi.core.api_support import ErrorOut
from guanxi.core.choices import UserKind
from guanxi.sales.services.scoring import scoring_model_current

router = Router(tags=["sales"])


class ScoringModelOut(Schema):
    id: int
    trained_at: datetime.datetime
    algorithm: str
    won_count: int
    lost_count: int
    holdout_auc: float | None
    baseline_auc: float | None


@router.get("/lead-scoring/model", response={200: ScoringModelOut, 403: ErrorOut, 404: ErrorOut})
def scoring_model(request):
    """The newest model: what it learnt from, its AUC on the newest fifth of decided
    leads (trained on the rest), and naive Bayes' AUC on the same split."""
    if request.auth.kind != UserKind.STAFF:
        raise PermissionDenied
    model = scoring_model_current()
    if model is None:
        raise Http404
    return model
