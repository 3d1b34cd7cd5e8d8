"""The import wizard, the review queue, merging and undo, and Excel export, through the web."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from guanxi.customers.choices import ImportStatus, ReviewStatus
from guanxi.customers.models import DuplicateReview, FieldConflict, ImportBatch, Merge, Party
from guanxi.customers.services import party_create
from guanxi.customers.services.contacts import ContactSpec
from guanxi.customers.services.dedup import dedup_scan
from tests.conftest import login

pytestmark = pytest.mark.django_db

CSV = (
    "客户编号,姓名,手机号码,生日\n"
    "W1,张伟,13800138000,1985-03-02\n"
    "W2,張偉,138 0013 8000,\n"
    "W3,李娜,12345,\n"
).encode("gb18030")


@pytest.fixture(autouse=True)
def data_dir(tmp_path):
    with override_settings(DATA_DIR=tmp_path):
        yield tmp_path


def upload(client, content=CSV, name="名单.csv", **extra):
    data = {
        "file": SimpleUploadedFile(name, content),
        "source_name": "",
        "cost": "1.20",
        "owner": "pool",
        **extra,
    }
    return client.post("/customers/imports/new/", data)


def test_wizard_uploads_maps_previews_and_runs(company, django_capture_on_commit_callbacks):
    client = login(company.marketer)
    response = upload(client)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == f"/customers/imports/{batch.pk}/"
    assert batch.encoding == "gb18030" and batch.source_name == "名单"
    page = client.get(response.url).content.decode()
    assert "张伟" in page and "12345" in page  # the preview
    assert 'value="mobile" selected' in page  # 手机号码 recognised
    assert "手机" in page or "Mobile" in page
    form = {"col_0": "external_id", "col_1": "name", "col_2": "mobile", "col_3": "birthday"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(response.url, {**form, "run": "1"})
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE
    assert batch.counts["created"] == 1 and batch.counts["matched"] == 1
    assert batch.counts["error"] == 1
    page = client.get(f"/customers/imports/{batch.pk}/progress/").content.decode()
    assert "errors.csv" in page and "outcome.csv" in page
    report = client.get(f"/customers/imports/{batch.pk}/errors.csv")
    rows = list(csv.reader(io.StringIO(b"".join(report.streaming_content).decode("utf-8-sig"))))
    assert rows == [["row_number", "column", "reason"], ["4", "mobile", rows[1][2]]]
    party = Party.objects.get()
    assert party.owner is None and str(party.acquisition_cost) == "1.20"


def test_mapping_needs_a_name_and_no_column_twice(company):
    client = login(company.manager)
    url = upload(client).url
    response = client.post(url, {"col_0": "name", "col_1": "name", "run": "1"})
    assert response.status_code == 200
    assert ImportBatch.objects.get().status == ImportStatus.UPLOADED
    response = client.post(url, {"col_0": "mobile", "run": "1"})
    assert ImportBatch.objects.get().status == ImportStatus.UPLOADED


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "空文件"),  # Django's own check: 所提交的是空文件
        (b"\x00\x01\x02" * 1000, "NUL"),
        ("a,b\n1,2\n".encode("utf-16"), "UTF-16"),
    ],
)
def test_files_that_cannot_be_imported_are_refused_at_upload(company, content, message):
    response = upload(login(company.manager), content=content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_reps_cannot_import_and_others_imports_are_hidden(company):
    assert upload(login(company.rep)).status_code == 403
    url = upload(login(company.marketer)).url
    assert login(company.manager).get(url).status_code == 404
    assert login(company.admin).get(url).status_code == 200


@pytest.fixture
def duplicates(company):
    a = party_create(
        actor=company.manager,
        name="王芳",
        owner=company.rep,
        contact_points=[ContactSpec(kind="mobile", value="13900139000")],
    )
    b = party_create(
        actor=company.manager,
        name="WANG Fang",
        owner=company.rep,
        allow_duplicate=True,
        contact_points=[ContactSpec(kind="mobile", value="139-0013-9000")],
        notes="老客户",
    )
    dedup_scan()
    return a, b


def test_review_queue_merge_and_undo(company, duplicates):
    a, b = duplicates
    manager = login(company.manager)
    page = manager.get("/customers/review/").content.decode()
    review = DuplicateReview.objects.get()
    assert f"/customers/review/{review.pk}/" in page
    detail = manager.get(f"/customers/review/{review.pk}/").content.decode()
    assert "王芳" in detail and "WANG Fang" in detail and "老客户" in detail
    response = manager.post(
        f"/customers/review/{review.pk}/",
        {
            "members": f"{a.pk},{b.pk}",
            "action": "merge",
            "survivor": str(a.pk),
            "field_name": str(a.pk),
            "field_notes": str(b.pk),
        },
    )
    assert response.status_code == 302 and response.url == f"/customers/{a.pk}/"
    a.refresh_from_db()
    assert a.notes == "老客户" and a.name == "王芳"
    assert manager.get(f"/customers/{b.pk}/").url == f"/customers/{a.pk}/"
    # Undo: administrators only.
    merge = Merge.objects.get()
    assert manager.post("/customers/merges/", {"merge": merge.pk}).status_code == 403
    admin = login(company.admin)
    assert "王芳" in admin.get("/customers/merges/").content.decode()
    admin.post("/customers/merges/", {"merge": merge.pk})
    b.refresh_from_db()
    assert b.merged_into is None


def test_not_the_same_from_the_web(company, duplicates):
    review = DuplicateReview.objects.get()
    login(company.manager).post(
        f"/customers/review/{review.pk}/",
        {"action": "distinct", "members": ",".join(map(str, sorted(p.pk for p in duplicates)))},
    )
    review.refresh_from_db()
    assert review.status == ReviewStatus.DISTINCT


def test_reviews_outside_ones_reach_are_hidden(company, duplicates):
    review = DuplicateReview.objects.get()
    assert login(company.rep).get("/customers/review/").status_code == 200
    assert (
        f"/customers/review/{review.pk}/"
        not in login(company.rep).get("/customers/review/").content.decode()
    )
    assert login(company.rep).get(f"/customers/review/{review.pk}/").status_code == 403
    south = login(company.admin)  # sanity: admin sees it
    assert south.get(f"/customers/review/{review.pk}/").status_code == 200


def test_field_conflicts_are_decided_on_the_web(company):
    party = party_create(actor=company.rep, name="陈静", gender="female")
    conflict = FieldConflict.objects.create(
        party=party, field="gender", current_value="female", incoming_value="male"
    )
    client = login(company.rep)
    page = client.get("/customers/review/?tab=conflicts").content.decode()
    assert "陈静" in page
    client.post(f"/customers/review/conflicts/{conflict.pk}/", {"take": "incoming"})
    party.refresh_from_db()
    conflict.refresh_from_db()
    assert party.gender == "male" and conflict.status == ReviewStatus.ACCEPTED


def test_excel_export_opens_with_chinese_and_no_formulas(company):
    party_create(actor=company.manager, name='=HYPERLINK("http://x")', owner=company.rep)
    party_create(
        actor=company.manager,
        name="赵敏",
        owner=company.rep,
        contact_points=[ContactSpec(kind="mobile", value="13600136000")],
    )
    response = login(company.manager).get("/customers/export.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = [[c.value for c in row] for row in book.active.iter_rows()]
    names = [r[1] for r in rows[1:]]
    assert "赵敏" in names and '\'=HYPERLINK("http://x")' in names
    assert all(not str(v).startswith("=") for r in rows for v in r if v)
    assert [r[3] for r in rows[1:] if r[1] == "赵敏"] == ["136 0013 6000"]
    assert login(company.rep).get("/customers/export.xlsx").status_code == 403


def test_merge_form_refuses_stale_members_and_foreign_records(company, duplicates):
    a, b = duplicates
    other = party_create(actor=company.manager, name="李娜", owner=company.rep)
    review = DuplicateReview.objects.get()
    client = login(company.manager)
    url = f"/customers/review/{review.pk}/"
    stale = client.post(url, {"members": f"{a.pk}", "action": "merge", "survivor": str(a.pk)})
    foreign = client.post(
        url, {"members": f"{a.pk},{b.pk}", "action": "merge", "survivor": str(other.pk)}
    )
    assert stale.status_code == 200 and foreign.status_code == 200
    assert not Merge.objects.exists()
    assert login(company.admin).post("/customers/merges/", {"merge": "abc"}).status_code == 404


def test_excel_export_survives_control_characters(company):
    party = party_create(actor=company.manager, name="张三", owner=company.rep)
    Party.objects.filter(pk=party.pk).update(name="张\x08三")
    response = login(company.manager).get("/customers/export.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert "张三" in [row[1].value for row in book.active.iter_rows()]
