"""The duplicate scan over the whole database (`guanxi customers dedup`, web queue)."""

import csv
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from guanxi.core.bulk import allocate_ids, db_datetime, insert_rows
from guanxi.customers.choices import ReviewOrigin, ReviewStatus
from guanxi.customers.matching import store
from guanxi.customers.matching.engine import BLOCK_CAP, clusters, score_blocks
from guanxi.customers.models import DistinctPair, DuplicateMember, DuplicateReview

REPORT_COLUMNS = ["cluster_id", "party_id", "external_id", "score", "reason"]


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
    groups = clusters(score_blocks(blocks, distinct=distinct), distinct=distinct)
    if progress:
        progress("cluster", len(groups))
    members = [ref for group in groups for ref, _pair in group]
    external = store.creating_external_ids(members)
    writer = csv.writer(report_file) if report_file else None
    if writer:
        writer.writerow(REPORT_COLUMNS)
    with transaction.atomic():
        stale = DuplicateReview.objects.filter(
            origin=ReviewOrigin.DEDUP, status=ReviewStatus.OPEN
        ).values("pk")
        DuplicateMember.objects.filter(review__in=stale).delete()
        DuplicateReview.objects.filter(pk__in=stale).delete()
        now = db_datetime(timezone.now())
        ids = allocate_ids(DuplicateReview._meta.db_table, len(groups))
        reviews, rows = [], []
        for review_id, group in zip(ids, groups, strict=True):
            best = max((pair for _ref, pair in group), key=lambda pair: pair.weight)
            reviews.append(
                (
                    review_id,
                    ReviewOrigin.DEDUP,
                    ReviewStatus.OPEN,
                    best.score,
                    best.reason[:200],
                    now,
                )
            )
            for ref, pair in group:
                rows.append((review_id, ref, pair.score, pair.reason[:200]))
                if writer:
                    writer.writerow(
                        [review_id, ref, external.get(ref, ""), pair.score, pair.reason]
                    )
        insert_rows(
            DuplicateReview._meta.db_table,
            ["id", "origin", "status", "score", "reason", "created_at"],
            reviews,
        )
        insert_rows(
            DuplicateMember._meta.db_table, ["review_id", "party_id", "score", "reason"], rows
        )
    return {"parties": scanned, "clusters": len(groups), "in_clusters": len(members)}
