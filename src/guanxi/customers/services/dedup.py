"""The duplicate scan over the whole database (`guanxi customers dedup`, web queue)."""

import csv
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from guanxi.customers.choices import ImportOutcome, ReviewOrigin, ReviewStatus
from guanxi.customers.matching import store
from guanxi.customers.matching.engine import BLOCK_CAP, clusters, score_blocks
from guanxi.customers.models import DistinctPair, DuplicateMember, DuplicateReview, ImportRecord

REPORT_COLUMNS = ["cluster_id", "party_id", "external_id", "score", "reason"]


def _external_ids(party_ids: list[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for start in range(0, len(party_ids), 5000):
        rows = (
            ImportRecord.objects.filter(
                party_id__in=party_ids[start : start + 5000],
                outcome__in=[ImportOutcome.CREATED, ImportOutcome.REVIEW],
            )
            .exclude(external_id="")
            .order_by("id")
            .values_list("party_id", "external_id")
        )
        for party_id, external_id in rows:
            found.setdefault(party_id, external_id)
    return found


def dedup_scan(*, report_file=None, progress: Callable[[str, int], None] | None = None) -> dict:
    """Cluster likely duplicates across all parties and refill the dedup review queue.

    Open reviews from an earlier scan are replaced; decided ones (merged, "not the
    same") stay, and pairs marked "not the same" are never proposed again.
    Returns counts: parties scanned, clusters, parties in clusters.
    """
    distinct = set(DistinctPair.objects.values_list("low_id", "high_id"))
    scanned = store.party_count()
    id_groups = list(store.shared_key_groups(cap=BLOCK_CAP))
    if progress:
        progress("candidates", sum(len(g) for g in id_groups))
    found = store.load_features({pid for group in id_groups for pid in group})
    blocks = ([found[pid] for pid in group if pid in found] for group in id_groups)
    groups = clusters(score_blocks(blocks, distinct=distinct))
    if progress:
        progress("cluster", len(groups))
    members = [ref for group in groups for ref, _pair in group]
    external = _external_ids(members)
    writer = csv.writer(report_file) if report_file else None
    if writer:
        writer.writerow(REPORT_COLUMNS)
    with transaction.atomic():
        DuplicateReview.objects.filter(origin=ReviewOrigin.DEDUP, status=ReviewStatus.OPEN).delete()
        now = timezone.now()
        for start in range(0, len(groups), 2000):
            chunk = groups[start : start + 2000]
            reviews = DuplicateReview.objects.bulk_create(
                [
                    DuplicateReview(
                        origin=ReviewOrigin.DEDUP,
                        score=max(pair.score for _ref, pair in group),
                        reason=max(group, key=lambda m: m[1].weight)[1].reason[:200],
                        created_at=now,
                    )
                    for group in chunk
                ]
            )
            rows = []
            for review, group in zip(reviews, chunk, strict=True):
                for ref, pair in group:
                    rows.append(
                        DuplicateMember(
                            review=review, party_id=ref, score=pair.score, reason=pair.reason[:200]
                        )
                    )
                    if writer:
                        writer.writerow(
                            [review.pk, ref, external.get(ref, ""), pair.score, pair.reason]
                        )
            DuplicateMember.objects.bulk_create(rows, batch_size=5000)
    return {"parties": scanned, "clusters": len(groups), "in_clusters": len(members)}
