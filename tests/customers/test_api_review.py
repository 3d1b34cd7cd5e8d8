"""API: imports, the duplicate review queue, merges and field conflicts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from guanxi.customers.models import DuplicateReview, FieldConflict, ImportBatch, Merge, Party
from guanxi.customers.services import party_create
from guanxi.customers.services.contacts import ContactSpec
from guanxi.customers.services.dedup import dedup_scan
from tests.conftest import api_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def twins(company):
    specs = [ContactSpec(kind="mobile", value="13900139000")]
    a = party_create(actor=company.manager, name="王芳", owner=company.rep, contact_points=specs)
    b = party_create(
        actor=company.manager,
        name="WANG Fang",
        owner=company.rep,
        contact_points=specs,
        allow_duplicate=True,
    )
    dedup_scan()
    return a, b


def test_review_queue_and_not_the_same(company, twins):
    manager = api_client(company.manager)
    body = manager.get("/api/v1/duplicate-reviews").json()
    assert [m["name"] for m in body["items"][0]["members"]] == ["王芳", "WANG Fang"]
    assert api_client(company.far_rep).get("/api/v1/duplicate-reviews").json()["items"] == []
    review = DuplicateReview.objects.get()
    assert (
        api_client(company.rep).post(f"/api/v1/duplicate-reviews/{review.pk}/distinct").status_code
        == 403
    )
    response = manager.post(f"/api/v1/duplicate-reviews/{review.pk}/distinct")
    assert response.status_code == 200 and response.json()["status"] == "distinct"


def test_merge_and_undo(company, twins):
    a, b = twins
    payload = {"survivor_id": a.pk, "merged_ids": [b.pk], "choices": {"name": b.pk}}
    assert (
        api_client(company.rep).post("/api/v1/merges", payload, "application/json").status_code
        == 403
    )
    response = api_client(company.manager).post("/api/v1/merges", payload, "application/json")
    assert response.status_code == 201
    assert Party.objects.get(pk=a.pk).name == "WANG Fang"
    # The merged id still answers, with the survivor.
    assert api_client(company.rep).get(f"/api/v1/parties/{b.pk}").json()["id"] == a.pk
    merge_id = response.json()["id"]
    again = api_client(company.manager).post("/api/v1/merges", payload, "application/json")
    assert again.status_code == 422
    assert api_client(company.manager).post(f"/api/v1/merges/{merge_id}/undo").status_code == 403
    undone = api_client(company.admin).post(f"/api/v1/merges/{merge_id}/undo")
    assert undone.status_code == 200 and undone.json()["undone_at"]
    assert Merge.objects.get().undone_at is not None


@pytest.mark.parametrize(
    "payload",
    [
        {"survivor_id": 1, "merged_ids": []},
        {"survivor_id": 1, "merged_ids": [2], "choices": {"password": 1}},
        {"survivor_id": 0, "merged_ids": [2]},
    ],
)
def test_bad_merge_requests_get_422(company, payload):
    response = api_client(company.admin).post("/api/v1/merges", payload, "application/json")
    assert response.status_code == 422


def test_field_conflicts(company):
    party = party_create(actor=company.rep, name="陈静", gender="female")
    conflict = FieldConflict.objects.create(
        party=party, field="gender", current_value="female", incoming_value="male"
    )
    client = api_client(company.rep)
    assert [c["id"] for c in client.get("/api/v1/field-conflicts").json()["items"]] == [conflict.pk]
    assert api_client(company.far_rep).get("/api/v1/field-conflicts").json()["items"] == []
    response = client.post(
        f"/api/v1/field-conflicts/{conflict.pk}", {"take": "current"}, "application/json"
    )
    assert response.json()["status"] == "kept"
    party.refresh_from_db()
    assert party.gender == "female"


def test_import_upload_runs_in_the_background(
    company, tmp_path, django_capture_on_commit_callbacks
):
    content = "姓名,手机\n赵敏,13600136000\n周芷若,bad\n".encode("gb18030")
    with override_settings(DATA_DIR=tmp_path):
        with django_capture_on_commit_callbacks(execute=True):
            response = api_client(company.marketer).post(
                "/api/v1/imports",
                {"file": SimpleUploadedFile("list.csv", content), "source_name": "展会"},
            )
        assert response.status_code == 202
        batch_id = response.json()["id"]
        body = api_client(company.marketer).get(f"/api/v1/imports/{batch_id}").json()
    assert body["status"] == "done" and body["counts"]["created"] == 1
    assert body["counts"]["error"] == 1
    assert api_client(company.manager).get(f"/api/v1/imports/{batch_id}").status_code == 404
    assert (
        api_client(company.rep)
        .post("/api/v1/imports", {"file": SimpleUploadedFile("l.csv", content)})
        .status_code
        == 403
    )


def test_import_of_a_bad_file_is_a_422(company, tmp_path):
    with override_settings(DATA_DIR=tmp_path):
        client = api_client(company.marketer)
        empty = client.post("/api/v1/imports", {"file": SimpleUploadedFile("e.csv", b"x")})
        unknown = client.post(
            "/api/v1/imports", {"file": SimpleUploadedFile("u.csv", b"foo,bar\n1,2\n")}
        )
    assert empty.status_code == 422 and unknown.status_code == 422
    assert "file" in unknown.json()["errors"]


@pytest.mark.parametrize("cost", ["-50", "1e12", "abc"])
def test_import_cost_is_checked_in_the_api(company, tmp_path, cost):
    with override_settings(DATA_DIR=tmp_path):
        response = api_client(company.marketer).post(
            "/api/v1/imports",
            {"file": SimpleUploadedFile("c.csv", "姓名\n赵敏\n".encode()), "cost": cost},
        )
    assert response.status_code == 422
    assert not ImportBatch.objects.exists()
