"""Importing customer files: formats, matching, reports, idempotency and bad input."""

import csv
import datetime
import io
import os

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.utils import translation

from guanxi.core.models import AuditEvent
from guanxi.customers import selectors
from guanxi.customers.choices import ImportStatus
from guanxi.customers.imports.reader import FileProblem
from guanxi.customers.models import (
    ContactPoint,
    DuplicateReview,
    FieldConflict,
    ImportBatch,
    ImportRecord,
    Party,
)
from guanxi.customers.services import party_create
from guanxi.customers.services.contacts import ContactSpec
from guanxi.customers.services.imports import import_file
from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


HEADER = [
    "external_id",
    "name",
    "mobile",
    "phone",
    "email",
    "province",
    "city",
    "district",
    "address",
    "birthday",
    "gender",
    "tags",
]
ROWS = [
    [
        "A1",
        "张伟",
        "13800138000",
        "",
        "zw@qq.com",
        "广东省",
        "深圳市",
        "南山区",
        "科技园路1号3栋1502室",
        "1985-03-02",
        "男",
        "VIP|高意向",
    ],
    ["A2", "張偉", "+86 138 0013 8000", "", "", "", "", "", "", "", "", ""],
    [
        "A3",
        "ZHANG Wei",
        "",
        "0755-86001234",
        "",
        "广东",
        "深圳",
        "南山",
        "科技园路1号3栋1502室",
        "1985-03-02",
        "",
        "",
    ],
    [
        "A4",
        "张伟",
        "13900139000",
        "",
        "",
        "广东省",
        "深圳市",
        "南山区",
        "科技园路9号",
        "1990-01-01",
        "男",
        "",
    ],
    ["A5", "王芳", "abc", "", "bad@", "", "", "", "", "1990-13-01", "X", ""],
    [
        "A6",
        "李娜",
        "",
        "0755-86001234",
        "",
        "广东省",
        "深圳市",
        "南山区",
        "科技园路1号3栋1502室",
        "1960-05-05",
        "女",
        "",
    ],
]


def write_csv(path, rows, *, header=HEADER, encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path, rows, *, header=HEADER):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def run(path, **kw):
    outcome, errors = io.StringIO(), io.StringIO()
    batch, summary = import_file(
        actor=kw.pop("actor", None), path=path, outcome_file=outcome, errors_file=errors, **kw
    )
    outcome.seek(0)
    errors.seek(0)
    return batch, summary, list(csv.DictReader(outcome)), list(csv.DictReader(errors))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_every_encoding_gives_the_same_result(tmp_path, encoding):
    path = write_csv(tmp_path / "list.csv", ROWS, encoding=encoding)
    batch, summary, outcome, errors = run(path, source_name="春季DM", cost="2.50")
    assert batch.encoding == "" or batch.status == ImportStatus.DONE
    assert [r["outcome"] for r in outcome] == [
        "created",
        "matched",
        "matched",
        "created",
        "error",
        "created",
    ]
    assert [r["row_number"] for r in outcome] == ["2", "3", "4", "5", "6", "7"]
    first = Party.objects.get(pk=outcome[0]["party_id"])
    assert outcome[1]["party_id"] == outcome[2]["party_id"] == str(first.pk)
    assert float(outcome[1]["score"]) > 0.9
    assert first.source_detail == "春季DM" and str(first.acquisition_cost) == "2.50"
    assert first.owner is None  # new customers go to the public pool
    assert sorted(first.tags.values_list("name", flat=True)) == ["VIP", "高意向"]
    assert set(first.contact_points.values_list("kind", flat=True)) == {
        "mobile",
        "email",
        "address",
        "landline",
    }
    assert {(e["column"]) for e in errors} == {"mobile", "email", "birthday", "gender"}
    assert all(e["row_number"] == "6" for e in errors)
    assert Party.objects.count() == 3


def test_xlsx_with_numbers_and_dates_typed_into_excel(tmp_path):
    rows = [
        ["X1", "刘洋", 13700137000, "", "", "", "", "", "", datetime.date(1979, 1, 9), "女", ""]
    ]
    _batch, _s, outcome, errors = run(write_xlsx(tmp_path / "list.xlsx", rows))
    assert errors == []
    party = Party.objects.get(pk=outcome[0]["party_id"])
    assert party.birthday == datetime.date(1979, 1, 9)
    assert party.contact_points.get(kind="mobile").value == "+8613700137000"


def test_chinese_headers_are_recognised(tmp_path):
    header = ["客户编号", "姓名", "手机号码", "邮箱", "出生日期", "性别"]
    path = write_csv(
        tmp_path / "c.csv",
        [["C1", "赵敏", "13600136000", "", "1988年5月6日", "女"]],
        header=header,
        encoding="gb18030",
    )
    _b, _s, outcome, errors = run(path)
    assert errors == [] and outcome[0]["outcome"] == "created"
    assert Party.objects.get().birthday == datetime.date(1988, 5, 6)


def test_rerun_imports_nothing_twice(tmp_path):
    path = write_csv(tmp_path / "list.csv", ROWS)
    _b, _s, first, _e = run(path, source_name="名单A")
    counts = (Party.objects.count(), ContactPoint.objects.count(), ImportRecord.objects.count())
    _b, summary, second, _e = run(path, source_name="名单A")
    assert (
        Party.objects.count(),
        ContactPoint.objects.count(),
        ImportRecord.objects.count(),
    ) == counts
    assert second == first
    assert summary.already == 5
    # The same ids from another source are other people's ids: imported again.
    run(path, source_name="名单B")
    assert ImportRecord.objects.count() == 2 * counts[2]


def test_a_run_killed_midway_is_rerun_safely(tmp_path, monkeypatch):
    rows = [
        [f"K{i}", f"客户{i}号", f"1380000{i:04d}", "", "", "", "", "", "", "", "", ""]
        for i in range(10)
    ]
    path = write_csv(tmp_path / "big.csv", rows)
    from guanxi.customers.imports import pipeline

    monkeypatch.setattr(pipeline, "BATCH_ROWS", 4)
    calls = []

    def die_after_first_batch(rows_done):
        calls.append(rows_done)
        if len(calls) == 1:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_file(actor=None, path=path, source_name="s", progress=die_after_first_batch)
    assert Party.objects.count() == 4  # the first batch committed, nothing else
    _b, summary, outcome, _e = run(path, source_name="s")
    assert Party.objects.count() == 10 and summary.already == 4
    assert [r["outcome"] for r in outcome] == ["created"] * 10


def test_match_fills_blanks_and_files_conflicts(company, tmp_path):
    existing = party_create(
        actor=company.rep,
        name="陈静",
        gender="female",
        contact_points=[ContactSpec(kind="mobile", value="13500135000")],
    )
    rows = [
        ["M1", "陈静", "135-0013-5000", "", "cj@163.com", "", "", "", "", "1980-02-02", "男", ""]
    ]
    _b, _s, outcome, _e = run(write_csv(tmp_path / "m.csv", rows))
    assert outcome[0]["outcome"] == "matched" and outcome[0]["party_id"] == str(existing.pk)
    existing.refresh_from_db()
    assert existing.birthday == datetime.date(1980, 2, 2)  # blank: filled
    assert existing.gender == "female"  # not overwritten ...
    conflict = FieldConflict.objects.get()  # ... but queued for a person
    assert (conflict.field, conflict.current_value, conflict.incoming_value) == (
        "gender",
        "female",
        "male",
    )
    assert existing.contact_points.filter(kind="email", value="cj@163.com").exists()
    assert existing.owner == company.rep  # ownership untouched
    event = AuditEvent.objects.get(
        subject_type="customers.party", subject_id=str(existing.pk), action="update"
    )
    assert event.changes["birthday"] == [None, "1980-02-02"]
    assert event.changes["contact_points"] == [None, ["cj@163.com"]]


def test_uncertain_match_creates_and_queues_the_pair(company, tmp_path):
    existing = party_create(
        actor=company.rep,
        name="周秀珍",
        contact_points=[
            ContactSpec(
                kind="address",
                value="振兴路273号28栋602室",
                province="浙江省",
                city="宁波市",
                district="鄞州区",
            ),
        ],
    )
    # One character off at the same flat: a typo, or her sister. A person decides.
    rows = [
        [
            "U1",
            "周秀玲",
            "",
            "",
            "",
            "浙江省",
            "宁波市",
            "鄞州区",
            "振兴路273号28栋602室",
            "",
            "",
            "",
        ]
    ]
    _b, _s, outcome, _e = run(write_csv(tmp_path / "u.csv", rows))
    assert outcome[0]["outcome"] == "review"
    new_id = int(outcome[0]["party_id"])
    assert new_id != existing.pk
    review = DuplicateReview.objects.get()
    assert set(review.members.values_list("party_id", flat=True)) == {existing.pk, new_id}
    assert review.reason == "name_typo+address"


def test_dry_run_writes_nothing_but_reports_everything(tmp_path):
    path = write_csv(tmp_path / "list.csv", ROWS)
    batch, _s, outcome, errors = run(path, dry_run=True)
    assert Party.objects.count() == 0 and ImportRecord.objects.count() == 0
    assert [r["outcome"] for r in outcome] == [
        "created",
        "matched",
        "matched",
        "created",
        "error",
        "created",
    ]
    assert outcome[0]["party_id"] == "" and len(errors) == 4
    assert batch.dry_run


def test_import_events_are_in_the_audit_trail(company, tmp_path):
    """One event for the customers an import creates, found from each one's History;
    a customer the import changed has its own event with what was added."""
    existing = party_create(
        actor=company.admin,
        name="李娜",
        contact_points=[ContactSpec(kind="landline", value="0755-86001234")],
    )
    batch, _s, outcome, _e = run(write_csv(tmp_path / "list.csv", ROWS), actor=company.admin)
    created = [r for r in outcome if r["outcome"] == "created"]
    assert len(created) == 2
    events = AuditEvent.objects.filter(action="import")
    assert events.count() == 1
    event = events.get()
    assert (event.subject_type, event.subject_id) == ("customers.importbatch", str(batch.pk))
    assert event.changes["file_name"] == [None, "list.csv"]
    assert event.actor_id == company.admin.pk
    for row in created:
        party = Party.objects.get(pk=row["party_id"])
        assert event in selectors.party_history_events(party)
    matched = outcome[5]
    assert matched["outcome"] == "matched" and matched["party_id"] == str(existing.pk)
    history = list(selectors.party_history_events(existing))
    assert event not in history  # the import did not create it
    update = next(e for e in history if e.action == "update")
    assert update.changes["import"] == [None, batch.pk]
    assert update.changes["birthday"] == [None, "1960-05-05"]
    page = login(company.admin).get(f"/customers/{created[0]['party_id']}/history/")
    assert "list.csv" in page.content.decode()


def test_only_import_roles_may_import(company, tmp_path):
    path = write_csv(tmp_path / "list.csv", ROWS[:1])
    with pytest.raises(PermissionDenied):
        import_file(actor=company.rep, path=path)
    run(path, actor=company.marketer)
    assert Party.objects.count() == 1


# ---- bad input -----------------------------------------------------------------------


def _fails(path, message):
    with pytest.raises(FileProblem, match=message):
        run(path)
    assert Party.objects.count() == 0
    assert ImportBatch.objects.get().status == ImportStatus.FAILED


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    _fails(path, "empty")


def test_wrong_encoding(tmp_path):
    path = tmp_path / "utf16.csv"
    path.write_text("name,mobile\n张伟,13800138000\n", encoding="utf-16")
    _fails(path, "UTF-16")


def test_header_with_no_known_column(tmp_path):
    path = write_csv(tmp_path / "h.csv", [["1", "2"]], header=["foo", "bar"])
    _fails(path, "No column of the header is known")


def test_fifty_megabytes_of_random_bytes(tmp_path):
    path = tmp_path / "random.csv"
    path.write_bytes(os.urandom(50 * 1024 * 1024))
    _fails(path, "NUL|encoding")


def test_duplicated_external_ids_keep_the_first(tmp_path):
    rows = [ROWS[0], ["A1", "李娜", "13700137000", "", "", "", "", "", "", "", "", ""]]
    _b, _s, outcome, errors = run(write_csv(tmp_path / "d.csv", rows))
    assert [r["outcome"] for r in outcome] == ["created", "error"]
    assert errors == [
        {"row_number": "3", "column": "external_id", "reason": "repeats row 2 of this file"}
    ]
    assert Party.objects.count() == 1


def test_ten_thousand_character_name(tmp_path):
    rows = [["L1", "张" * 10_000, "13700137000", "", "", "", "", "", "", "", "", ""], ROWS[0]]
    _b, _s, outcome, errors = run(write_csv(tmp_path / "l.csv", rows))
    assert [r["outcome"] for r in outcome] == ["error", "created"]
    assert errors[0]["column"] == "name" and "200" in errors[0]["reason"]
    assert Party.objects.count() == 1


# ---- the command ---------------------------------------------------------------------


def test_cli_import_writes_outcome_and_errors(tmp_path, capsys):
    path = write_csv(tmp_path / "list.csv", ROWS)
    out, err = tmp_path / "outcome.csv", tmp_path / "errors.csv"
    call_command(
        "customers",
        "import",
        str(path),
        "--source",
        "展会名单",
        "--cost",
        "3",
        "--outcome",
        str(out),
        "--errors",
        str(err),
    )
    with open(out, encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["row_number", "external_id", "outcome", "party_id", "score"]
    assert len(rows) == 1 + len(ROWS)
    with open(err, encoding="utf-8-sig") as handle:
        assert next(csv.reader(handle)) == ["row_number", "column", "reason"]
    assert "created 3, matched 2, review 0, error 1" in capsys.readouterr().out


def test_cli_import_rejects_bad_arguments(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("customers", "import", str(tmp_path / "missing.csv"))
    path = write_csv(tmp_path / "list.csv", ROWS[:1])
    with pytest.raises(CommandError, match="--cost"):
        call_command("customers", "import", str(path), "--cost", "abc")


def test_rows_of_one_person_in_one_file_make_one_clean_record(tmp_path):
    rows = [
        ["P1", "孙丽", "13300133000", "", "", "", "", "", "", "", "", ""],
        ["P2", "孫麗", "133 0013 3000", "", "sl@126.com", "", "", "", "", "1970-07-07", "女", ""],
        ["P3", "SUN Li", "13300133000", "", "SL@126.com", "", "", "", "", "1971-01-01", "", ""],
    ]
    _b, _s, outcome, _e = run(write_csv(tmp_path / "p.csv", rows))
    assert [r["outcome"] for r in outcome] == ["created", "matched", "matched"]
    party = Party.objects.get()
    assert party.name == "孙丽" and party.birthday == datetime.date(1970, 7, 7)
    assert party.gender == "female"
    assert sorted(party.contact_points.values_list("kind", "value")) == [
        ("email", "sl@126.com"),
        ("mobile", "+8613300133000"),
    ]
    conflict = FieldConflict.objects.get()
    assert (conflict.field, conflict.incoming_value) == ("birthday", "1971-01-01")


def test_awkward_values_are_stored_or_reported_on_every_engine(tmp_path):
    path = tmp_path / "awkward.csv"
    rows = [
        [
            "Q1",
            "欧阳" + "娜" * 98,
            "13500135001",
            "",
            "",
            "",
            "",
            "",
            "人民路1号\r\n3栋",
            "",
            "",
            "",
        ],
        ["Q2", "王五", "13500135002", "", "", "省" * 51, "", "", "", "", "", ""],
        ["Q3", "张\x08三", "13500135003", "", "", "", "", "", "", "", "", ""],
        ["Q4" * 101, "李四", "13500135004", "", "", "", "", "", "", "", "", ""],
    ]
    _b, _s, outcome, errors = run(write_csv(path, rows))
    assert [r["outcome"] for r in outcome] == ["created", "error", "error", "error"]
    assert [(e["row_number"], e["column"]) for e in errors] == [
        ("3", "province"),
        ("4", "name"),
        ("5", "external_id"),
    ]
    party = Party.objects.get()
    assert len(party.name) == 100 and len(party.name_pinyin) <= 400
    assert party.contact_points.get(kind="address").value == "人民路1号\r\n3栋"


def test_a_batch_is_started_once(company, tmp_path, settings, django_capture_on_commit_callbacks):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from guanxi.customers.services.imports import import_start, import_store_upload

    settings.DATA_DIR = tmp_path
    batch = import_store_upload(
        actor=company.marketer, upload=SimpleUploadedFile("a.csv", b"name\nA\n")
    )
    with django_capture_on_commit_callbacks(execute=False):
        import_start(
            actor=company.marketer, batch=batch, mapping={0: "name"}, dry_run=True, owner=None
        )
        with pytest.raises(ValidationError):
            import_start(
                actor=company.marketer, batch=batch, mapping={0: "name"}, dry_run=True, owner=None
            )


def test_rows_are_numbered_as_the_spreadsheet_numbers_them(tmp_path):
    path = tmp_path / "blank-top.csv"
    path.write_text("\n,,\nname,mobile\n张三,13500135001\n\n李四,abc\n", encoding="utf-8")
    _b, _s, outcome, errors = run(path)
    assert [r["row_number"] for r in outcome] == ["4", "6"]
    assert errors[0]["row_number"] == "6"


def test_a_second_process_prepares_large_files_with_the_same_result(tmp_path, monkeypatch):
    from guanxi.customers.imports import pipeline, prepare

    monkeypatch.setattr(pipeline, "BATCH_ROWS", 7)
    rows = ROWS + [[f"B{i}", f"客户{i}", f"1391234{i:04d}", *[""] * 9] for i in range(60)]
    rows += [[f"C{i}", f"客户{i}", f"+86 139 1234 {i:04d}", *[""] * 9] for i in range(0, 60, 7)]
    path = write_csv(tmp_path / "list.csv", rows)
    _b, _s, inline, inline_errors = run(path, dry_run=True)
    monkeypatch.setattr(prepare, "PROCESS_FROM_BYTES", 0)
    _b, _s, forked, forked_errors = run(path, dry_run=True)
    assert forked == inline and forked_errors == inline_errors
    assert len(forked) == len(rows) and len(forked_errors) == 4
    _b, _s, written, _e = run(path)
    assert [r["outcome"] for r in written] == [r["outcome"] for r in inline]
    assert Party.objects.count() == sum(r["outcome"] == "created" for r in inline)


def test_a_file_problem_found_by_the_second_process_is_reported(tmp_path, monkeypatch):
    from guanxi.customers.imports import prepare

    monkeypatch.setattr(prepare, "PROCESS_FROM_BYTES", 0)
    monkeypatch.setattr("guanxi.customers.imports.reader._SNIFF", 64)
    path = tmp_path / "list.csv"
    text = "name,mobile\n" + "张伟,13800138000\n" * 20
    path.write_bytes(text.encode() + "王芳".encode("gb18030") + b",13900139000\n")
    with pytest.raises(FileProblem):
        run(path)
    assert Party.objects.count() == 0
