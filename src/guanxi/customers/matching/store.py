"""Matching features of parties as stored in the database, and their fuzzy keys.

The engine (engine.py) knows nothing of Django; this module reads parties and contact
points into `Features` and keeps the MatchKey table (fuzzy blocking keys) in step.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.db import connection

from guanxi.core.bulk import in_clause, insert_rows
from guanxi.customers.choices import ContactKind, ImportOutcome, PartyKind
from guanxi.customers.matching.engine import Features, features
from guanxi.customers.models import MatchKey

EXACT_PREFIX = {
    ContactKind.MOBILE: "m:",
    ContactKind.LANDLINE: "l:",
    ContactKind.EMAIL: "e:",
    ContactKind.WECHAT: "w:",
}
_SEPARATOR = "\x1f"
_KIND_OF_PREFIX = {prefix: str(kind) for kind, prefix in EXACT_PREFIX.items()}
_PARTY_SQL = (
    "SELECT id, name, birthday, gender, kind FROM customers_party "
    "WHERE merged_into_id IS NULL AND {ids}"
)
_CONTACT_SQL = (
    "SELECT party_id, kind, normalized, value, province, city, district "
    "FROM customers_contactpoint WHERE {ids}"
)


def _as_date(value):
    if isinstance(value, str):  # SQLite through a raw cursor
        return datetime.date.fromisoformat(value) if value else None
    return value


def _build(party_row, contact_rows) -> Features:
    pid, name, birthday, gender, kind = party_row
    mobiles, landlines, emails, wechats = [], [], [], []
    place = ("", "", "", "")
    for _pid, ckind, normalized, value, province, city, district in contact_rows:
        if ckind == ContactKind.MOBILE:
            mobiles.append(normalized)
        elif ckind == ContactKind.LANDLINE:
            landlines.append(normalized)
        elif ckind == ContactKind.EMAIL:
            emails.append(normalized)
        elif ckind == ContactKind.WECHAT:
            wechats.append(normalized)
        elif ckind == ContactKind.ADDRESS and not place[3]:
            place = (province, city, district, value)
    return features(
        pid,
        name=name,
        mobiles=mobiles,
        landlines=landlines,
        emails=emails,
        wechats=wechats,
        birthday=_as_date(birthday),
        gender=gender or "",
        province=place[0],
        city=place[1],
        district=place[2],
        street=place[3],
        is_org=kind == PartyKind.ORGANISATION,
    )


def load_features(party_ids: Iterable[int]) -> dict[int, Features]:
    """Features of the given (unmerged) parties, in two queries per 5,000 ids."""
    ids = list(dict.fromkeys(party_ids))
    found: dict[int, Features] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 5000):
            chunk = ids[start : start + 5000]
            sql, params = in_clause("id", chunk)
            cursor.execute(_PARTY_SQL.format(ids=sql), params)
            parties = cursor.fetchall()
            sql, params = in_clause("party_id", chunk)
            cursor.execute(_CONTACT_SQL.format(ids=sql), params)
            contacts = defaultdict(list)
            for row in cursor.fetchall():
                contacts[row[0]].append(row)
            for row in parties:
                found[row[0]] = _build(row, contacts.get(row[0], ()))
    return found


def iter_all_features(*, chunk: int = 20_000) -> Iterator[Features]:
    """Every unmerged party's features, streamed in id order (for the duplicate scan)."""
    last = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                "SELECT id, name, birthday, gender, kind FROM customers_party "
                "WHERE merged_into_id IS NULL AND id > %s ORDER BY id LIMIT %s",
                [last, chunk],
            )
            parties = cursor.fetchall()
            if not parties:
                return
            cursor.execute(
                "SELECT party_id, kind, normalized, value, province, city, district "
                "FROM customers_contactpoint WHERE party_id >= %s AND party_id <= %s",
                [parties[0][0], parties[-1][0]],
            )
            contacts = defaultdict(list)
            for row in cursor.fetchall():
                contacts[row[0]].append(row)
            for row in parties:
                yield _build(row, contacts.get(row[0], ()))
            last = parties[-1][0]


def shared_key_groups(*, cap: int) -> Iterator[list[int]]:
    """Ids of the parties sharing each key that 2 to `cap` parties hold.

    The database groups (each query walks one covering index in key order), so Python only
    sees the keys that can make a pair: the duplicate scan then loads features for
    candidates only.
    """
    kinds = list(_KIND_OF_PREFIX.values())
    marks = ", ".join(["%s"] * len(kinds))
    queries = [
        (
            "SELECT c.kind, c.normalized, c.party_id FROM customers_contactpoint c JOIN ("
            f"  SELECT kind, normalized FROM customers_contactpoint WHERE kind IN ({marks})"
            "  GROUP BY kind, normalized HAVING COUNT(*) BETWEEN 2 AND %s"
            ") g ON g.kind = c.kind AND g.normalized = c.normalized "
            "ORDER BY c.kind, c.normalized",
            [*kinds, cap],
        ),
        (
            "SELECT '', m.key, m.party_id FROM customers_matchkey m JOIN ("
            "  SELECT key FROM customers_matchkey GROUP BY key HAVING COUNT(*) BETWEEN 2 AND %s"
            ") g ON g.key = m.key ORDER BY m.key",
            [cap],
        ),
    ]
    with connection.cursor() as cursor:
        for sql, params in queries:
            cursor.execute(sql, params)
            current, group = None, []
            while rows := cursor.fetchmany(10_000):
                for kind, key, party_id in rows:
                    if (kind, key) != current:
                        if len(group) > 1:
                            yield group
                        current, group = (kind, key), []
                    if party_id not in group:
                        group.append(party_id)
            if len(group) > 1:
                yield group


def party_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM customers_party WHERE merged_into_id IS NULL")
        return cursor.fetchone()[0]


def creating_external_ids(party_ids: list[int]) -> dict[int, str]:
    """external_id of the import row that created each party (first import wins)."""
    found: dict[int, str] = {}
    outcomes = [ImportOutcome.CREATED.value, ImportOutcome.REVIEW.value]
    with connection.cursor() as cursor:
        for start in range(0, len(party_ids), 5000):
            sql, params = in_clause("party_id", party_ids[start : start + 5000])
            cursor.execute(
                "SELECT party_id, external_id FROM customers_importrecord "
                f"WHERE outcome IN (%s, %s) AND external_id <> '' AND {sql} ORDER BY id",
                [*outcomes, *params],
            )
            for party_id, external_id in cursor.fetchall():
                found.setdefault(party_id, external_id)
    return found


def fuzzy_keys(record: Features) -> list[str]:
    """The keys stored in MatchKey: those ContactPoint's index cannot answer."""
    return [k for k in record.block_keys() if k[:2] not in ("m:", "l:", "e:", "w:")]


def text_in(column: str, values: list[str]) -> tuple[str, list]:
    """`column IN (...)` for many strings. PostgreSQL gets them as one text joined by a
    unit separator (psycopg dumps a list element by element in Python, which costs more
    than the query); values holding that separator fall back to `in_clause`."""
    if connection.vendor == "postgresql" and not any(_SEPARATOR in v for v in values):
        return f"{column} = ANY(string_to_array(%s, chr(31)))", [_SEPARATOR.join(values)]
    return in_clause(column, values)


def candidate_ids(keys: Iterable[str], *, cap: int) -> dict[str, list[int]]:
    """Party ids per key, for exact keys (via contact points) and fuzzy ones (MatchKey).

    Raw SQL on purpose: an import asks this for every batch of rows. A key shared by
    more than `cap` parties is dropped: it tells nothing.
    """
    exact = defaultdict(list)
    fuzzy = []
    for key in keys:
        prefix = key[:2]
        if prefix in _KIND_OF_PREFIX:
            exact[prefix].append(key[2:])
        else:
            fuzzy.append(key)
    found: dict[str, list[int]] = defaultdict(list)
    with connection.cursor() as cursor:
        for prefix, values in exact.items():
            for start in range(0, len(values), 5000):
                sql, params = text_in("normalized", values[start : start + 5000])
                cursor.execute(
                    f"SELECT normalized, party_id FROM customers_contactpoint "
                    f"WHERE kind = %s AND {sql}",
                    [_KIND_OF_PREFIX[prefix], *params],
                )
                for normalized, party_id in cursor.fetchall():
                    found[prefix + normalized].append(party_id)
        for start in range(0, len(fuzzy), 5000):
            sql, params = text_in("key", fuzzy[start : start + 5000])
            cursor.execute(f"SELECT key, party_id FROM customers_matchkey WHERE {sql}", params)
            for key, party_id in cursor.fetchall():
                found[key].append(party_id)
    return {key: ids for key, ids in found.items() if len(ids) <= cap}


def write_match_keys(records: Iterable[Features]) -> None:
    insert_rows(
        MatchKey._meta.db_table,
        ["party_id", "key"],
        [(r.ref, key) for r in records for key in fuzzy_keys(r)],
    )


def refresh_match_keys(party_ids: Iterable[int]) -> None:
    """Recompute the fuzzy keys of these parties (after an edit, a merge, an undo)."""
    ids = list(party_ids)
    MatchKey.objects.filter(party_id__in=ids).delete()
    write_match_keys(load_features(ids).values())


def rebuild_match_keys(*, progress=None) -> int:
    """Recompute every party's fuzzy keys; returns the number of parties."""
    MatchKey.objects.all().delete()
    batch: list[Features] = []
    done = 0
    for record in iter_all_features():
        batch.append(record)
        if len(batch) >= 20_000:
            write_match_keys(batch)
            done += len(batch)
            batch = []
            if progress:
                progress(done)
    write_match_keys(batch)
    return done + len(batch)
