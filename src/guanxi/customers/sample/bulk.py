"""Fast bulk loading of synthetic customers: COPY on PostgreSQL, executemany on SQLite.

Used by `guanxi seed` and the benchmarks only. Seeded rows are synthetic test data, so
they are not written to the audit trail row by row (the command records one event).
"""

import datetime

from django.db import transaction

from guanxi.core.bulk import db_datetime, insert_rows, next_id, reset_sequence
from guanxi.customers.imports.pipeline import CONTACT_COLUMNS, PARTY_COLUMNS
from guanxi.customers.matching.engine import features
from guanxi.customers.matching.store import write_match_keys
from guanxi.customers.normalize import address_key, name_key, normalize_phone, pinyin_keys
from guanxi.customers.sample.generator import SUBJECTS, SampleGenerator

INTERACTION_COLUMNS = [
    "party_id",
    "kind",
    "subject",
    "body",
    "outcome",
    "occurred_at",
    "actor_id",
    "follow_up_on",
    "follow_up_done_at",
    "created_at",
]
SOURCES = [
    "direct_response_ad",
    "purchased_list",
    "partner",
    "web_form",
    "ibo_referral",
    "walk_in",
    "call_in",
]
STAGES = ["suspect", "prospect", "customer", "repeat_customer", "loyal", "lapsed"]
OUTCOMES = ["connected", "no_answer", "interested", "not_interested", "call_back", "ordered"]


def seed_parties(
    *, count: int, owner_ids: list[int], seed: int = 7, batch: int = 20_000, progress=None
) -> list[int]:
    """Insert `count` parties with a mobile each (and an address for a third); return ids."""
    gen = SampleGenerator(seed)
    rng = gen.rng
    first = next_id("customers_party")
    now = datetime.datetime.now(datetime.UTC)
    pinyin_cache: dict[str, tuple[str, str]] = {}
    ids = []
    for start in range(0, count, batch):
        parties, contacts, matched = [], [], []
        for offset in range(min(batch, count - start)):
            pid = first + start + offset
            sample = gen.party(index=pid)
            keys = pinyin_cache.get(sample.name)
            if keys is None:
                keys = pinyin_cache[sample.name] = pinyin_keys(sample.name)
            created = db_datetime(now - datetime.timedelta(minutes=(count - start - offset)))
            parties.append(
                (
                    pid,
                    "organisation" if sample.is_org else "person",
                    sample.name,
                    keys[0],
                    keys[1],
                    name_key(sample.name),
                    sample.gender,
                    sample.birthday,
                    rng.choice(SOURCES),
                    "",
                    rng.choice(["0", "5.00", "12.00", "30.00"]),
                    rng.choice(STAGES),
                    owner_ids[pid % len(owner_ids)],
                    "",
                    None,
                    created,
                    created,
                )
            )
            e164 = normalize_phone(sample.mobile)[0]
            contacts.append((pid, "mobile", e164, e164, "", True, "", "", "", created, created))
            if pid % 3 == 0:
                contacts.append(
                    (
                        pid,
                        "address",
                        sample.street,
                        address_key(sample.province, sample.city, sample.district, sample.street),
                        "",
                        True,
                        sample.province,
                        sample.city,
                        sample.district,
                        created,
                        created,
                    )
                )
            ids.append(pid)
            matched.append(
                features(
                    pid,
                    name=sample.name,
                    birthday=sample.birthday,
                    province=sample.province if pid % 3 == 0 else "",
                    city=sample.city if pid % 3 == 0 else "",
                    district=sample.district if pid % 3 == 0 else "",
                    street=sample.street if pid % 3 == 0 else "",
                    is_org=sample.is_org,
                )
            )
        with transaction.atomic():
            insert_rows("customers_party", PARTY_COLUMNS, parties)
            insert_rows("customers_contactpoint", CONTACT_COLUMNS, contacts)
            write_match_keys(matched)
        if progress:
            progress(len(ids), count)
    reset_sequence("customers_party")
    return ids


def seed_interactions(
    *,
    count: int,
    party_ids: list[int],
    owner_ids: list[int],
    seed: int = 11,
    batch: int = 50_000,
    progress=None,
) -> None:
    """Insert `count` interactions spread over the given parties, within the last two years."""
    gen = SampleGenerator(seed)
    rng = gen.rng
    now = datetime.datetime.now(datetime.UTC)
    kinds = list(SUBJECTS)
    done = 0
    while done < count:
        rows = []
        for _ in range(min(batch, count - done)):
            pid = party_ids[rng.randrange(len(party_ids))]
            kind = rng.choice(kinds)
            when = db_datetime(now - datetime.timedelta(minutes=rng.randrange(2 * 365 * 24 * 60)))
            rows.append(
                (
                    pid,
                    kind,
                    rng.choice(SUBJECTS[kind]),
                    "",
                    rng.choice(OUTCOMES),
                    when,
                    owner_ids[pid % len(owner_ids)],
                    None,
                    None,
                    when,
                )
            )
        with transaction.atomic():
            insert_rows("customers_interaction", INTERACTION_COLUMNS, rows)
        done += len(rows)
        if progress:
            progress(done, count)
