"""A bulk load: secondary indexes set aside, matching in memory, the same outcome."""

import csv
import io
import threading

import pytest
from django.db import connection
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from guanxi.customers.imports import indexes, pipeline
from guanxi.customers.imports.memory import KeyIndex
from guanxi.customers.matching import store
from guanxi.customers.matching.engine import BLOCK_CAP, Features
from guanxi.customers.models import DuplicateReview, ImportRecord, MatchKey, Party
from guanxi.customers.services import party_create
from guanxi.customers.services.contacts import ContactSpec
from guanxi.customers.services.imports import import_file

pytestmark = pytest.mark.django_db

HEADER = ["external_id", "name", "mobile", "province", "city", "district", "address", "birthday"]
# Batches of three rows: B4 matches the customer stored before the run, B5 a row of the
# first batch (and fills its birthday), B7 is one character off at B1's flat (review).
ROWS = [
    ["B1", "周秀珍", "13700137001", "浙江省", "宁波市", "鄞州区", "振兴路273号28栋602室", ""],
    ["B2", "王强", "13700137002", "", "", "", "", "1970-01-01"],
    ["B3", "刘洋", "13700137003", "", "", "", "", ""],
    ["B4", "陈静", "135-0013-5000", "", "", "", "", "1980-02-02"],
    ["B5", "周秀珍", "+86 137 0013 7001", "", "", "", "", "1975-05-05"],
    ["B6", "赵磊", "13700137006", "", "", "", "", ""],
    ["B7", "周秀玲", "", "浙江省", "宁波市", "鄞州区", "振兴路273号28栋602室", ""],
]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(pipeline, "BATCH_ROWS", 3)


@pytest.fixture
def bulk(monkeypatch):
    """Every run that writes is a bulk load."""
    monkeypatch.setattr(pipeline, "BULK_MIN_ROWS", 0)
    monkeypatch.setattr(pipeline, "BULK_FACTOR", 0)


def write_csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def run(path, **kw):
    outcome = io.StringIO()
    _batch, summary = import_file(actor=None, path=path, outcome_file=outcome, **kw)
    outcome.seek(0)
    return summary, list(csv.DictReader(outcome))


def stored_customer(company):
    return party_create(
        actor=company.rep,
        name="陈静",
        contact_points=[ContactSpec(kind="mobile", value="13500135000")],
    )


@pytest.mark.parametrize("mode", ["bulk", "indexed"])
def test_a_bulk_load_decides_like_an_indexed_run(company, tmp_path, small_batches, request, mode):
    if mode == "bulk":
        request.getfixturevalue("bulk")
    existing = stored_customer(company)
    path = write_csv(tmp_path / "list.csv", ROWS)
    seen_missing = []
    _s, outcome = run(
        path, source_name="s", progress=lambda n: seen_missing.append(indexes.missing_indexes())
    )
    assert [r["outcome"] for r in outcome] == [
        "created",
        "created",
        "created",
        "matched",
        "matched",
        "created",
        "review",
    ]
    assert outcome[3]["party_id"] == str(existing.pk)
    assert outcome[4]["party_id"] == outcome[0]["party_id"]  # a row of an earlier batch
    first = Party.objects.get(pk=outcome[0]["party_id"])
    assert str(first.birthday) == "1975-05-05"  # filled by B5, a batch later
    review = DuplicateReview.objects.get()
    assert set(review.members.values_list("party_id", flat=True)) == {
        int(outcome[0]["party_id"]),
        int(outcome[6]["party_id"]),
    }
    # Indexes were set aside during a bulk load only, and are all back afterwards.
    assert all(seen_missing) if mode == "bulk" else not any(seen_missing)
    assert indexes.missing_indexes() == []
    # The fuzzy keys written batch by batch are those a full rebuild computes.
    written = set(MatchKey.objects.values_list("party_id", "key"))
    store.rebuild_match_keys()
    assert written == set(MatchKey.objects.values_list("party_id", "key"))
    assert any(key.startswith("nb:") for _p, key in written if _p == first.pk)


def test_a_bulk_load_killed_midway_is_repaired_by_the_rerun(
    tmp_path, small_batches, bulk, monkeypatch
):
    path = write_csv(tmp_path / "list.csv", ROWS)
    # A kill (SIGKILL, power loss) runs no cleanup: the indexes stay dropped.
    monkeypatch.setattr(indexes, "restore_indexes", lambda: [])
    calls = []

    def killed_after_first_batch(rows_done):
        calls.append(rows_done)
        if len(calls) == 1:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(path, source_name="s", progress=killed_after_first_batch)
    assert Party.objects.count() == 3  # the first batch committed, nothing else
    assert "match_key_idx" in indexes.missing_indexes()
    monkeypatch.undo()
    summary, outcome = run(path, source_name="s")
    assert summary.already == 3 and ImportRecord.objects.count() == 7
    assert [r["outcome"] for r in outcome][:3] == ["created"] * 3
    assert indexes.missing_indexes() == []


def test_any_later_run_restores_indexes_a_kill_left_dropped(tmp_path):
    indexes.drop_indexes()
    assert len(indexes.missing_indexes()) > 5
    _s, outcome = run(write_csv(tmp_path / "one.csv", ROWS[:1]))  # small: no bulk load
    assert outcome[0]["outcome"] == "created"
    assert indexes.missing_indexes() == []


def test_only_a_large_file_into_a_small_database_is_a_bulk_load(company, tmp_path, monkeypatch):
    stored_customer(company)
    path = write_csv(tmp_path / "list.csv", ROWS)
    size = path.stat().st_size
    batch = import_file(actor=None, path=path, source_name="probe", dry_run=True)[0]
    decide = pipeline.ImportRun(batch)._is_bulk
    assert not decide()  # a dry run changes nothing, indexes included
    batch.dry_run = False
    assert not decide()  # seven rows
    monkeypatch.setattr(pipeline, "BULK_MIN_ROWS", 1)
    monkeypatch.setattr(pipeline, "BYTES_PER_ROW", size // 8)  # "eight rows", one stored
    assert decide()
    monkeypatch.setattr(pipeline, "BULK_FACTOR", 9)  # eight rows are not nine times one
    assert not decide()
    monkeypatch.setattr(pipeline, "BULK_FACTOR", 1)
    assert decide()
    monkeypatch.setattr(pipeline, "BULK_MAX_RECORDS", 8)  # eight rows and one stored
    assert not decide()  # would not fit in memory
    assert pipeline.ImportRun(batch, bulk_load=True)._is_bulk()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 30), st.lists(st.sampled_from("abcdefgh"), max_size=3)),
        max_size=80,
    ),
    st.lists(st.sampled_from("abcdefghij"), max_size=3),
)
def test_the_key_index_finds_what_a_scan_finds(added, probe_keys):
    """Candidates are the latest version of every record sharing a key with the probe,
    except through keys more than BLOCK_CAP records hold."""
    rows: dict[int, Features] = {}
    index = KeyIndex(rows)
    for ref, keys in added:  # a ref added again is a customer that grew
        record = Features(ref=ref, keys=tuple(f"m:{k}" for k in keys))
        rows[ref] = record
        index.add(record)
    holders: dict[str, set[int]] = {}
    for ref, keys in added:
        for key in keys:
            holders.setdefault(f"m:{key}", set()).add(ref)
    probe = Features(ref=-1, keys=tuple(f"m:{k}" for k in probe_keys))
    expected = {
        ref
        for key in probe.keys
        if len(holders.get(key, ())) <= BLOCK_CAP
        for ref in holders.get(key, ())
    }
    found = index.candidates(probe)
    assert set(found) == expected
    assert all(found[ref] is rows[ref] for ref in found)


def test_a_key_held_by_too_many_records_finds_nothing():
    rows: dict[int, Features] = {}
    index = KeyIndex(rows)
    for ref in range(BLOCK_CAP + 5):
        rows[ref] = Features(ref=ref, keys=("l:+862088886666",))
        index.add(rows[ref])
    assert index.candidates(Features(ref=-1, keys=("l:+862088886666",))) == {}
    rows[-2] = Features(ref=-2, keys=("l:+862088886666", "m:+8613800138000"))
    index.add(rows[-2])
    assert set(index.candidates(Features(ref=-1, keys=("m:+8613800138000",)))) == {-2}


@pytest.fixture
def bulk_load_elsewhere():
    """Another bulk load holds the lock (from another connection, as another process)."""
    holding, done, held = threading.Event(), threading.Event(), []

    def hold():
        try:
            with indexes.bulk_lock() as got:
                held.append(got)
                holding.set()
                done.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    holding.wait(30)
    assert held == [True]
    yield
    done.set()
    thread.join()


def test_a_run_beside_a_running_bulk_load_is_an_ordinary_one(tmp_path, bulk, bulk_load_elsewhere):
    indexes.drop_indexes()  # as the other bulk load did
    seen_missing = []
    _s, outcome = run(
        write_csv(tmp_path / "list.csv", ROWS),
        source_name="s",
        progress=lambda n: seen_missing.append(len(indexes.missing_indexes())),
    )
    assert [r["outcome"] for r in outcome].count("matched") == 1  # B5 matches B1
    # It neither rebuilt the indexes under the other load nor dropped them itself.
    assert seen_missing and all(n > 5 for n in seen_missing)
    assert len(indexes.missing_indexes()) > 5
    indexes.restore_indexes()


def test_the_bulk_lock_is_taken_once(bulk_load_elsewhere):
    with indexes.bulk_lock() as got:
        assert got is False


def test_restoring_an_index_another_run_restored_meanwhile_is_no_error(monkeypatch):
    assert indexes.missing_indexes() == []
    # Both runs saw the index missing; the other one created it first.
    monkeypatch.setattr(indexes, "_present", set)
    assert len(indexes.restore_indexes()) > 5
    monkeypatch.undo()
    assert indexes.missing_indexes() == []
