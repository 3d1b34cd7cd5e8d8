"""What-if runs from CSV files: the file contract, and bad input that names its row."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from guanxi.network.engine.errors import InputError
from guanxi.network.engine.files import RESULT_COLUMNS
from guanxi.network.whatif import load_plan, run_files

PLAN = """
[stairstep]
schedule = [[0, 0], [100, 0.05], [1000, 0.10]]
leadership_rate = 0.02
[unilevel]
levels = [0.05, 0.03]
min_pv = 50
compression = true
[personal_sales]
schedule = [[0, 0.1]]
cap_ratio = 0.3
"""
DISTRIBUTORS = """member_id,sponsor_id,name,join_date,status
A,,王芳,2024-01-05,active
B,A,李伟,2024-02-01,active
C,B,张敏,2024-03-01,inactive
D,A,赵磊,2024-03-09,active
"""
ORDERS = """order_id,member_id,date,pv,bv,amount
1,A,2026-10-01,100,90,200.00
2,B,2026-10-15,600.5,500,1200.50
3,C,2026-10-31,300,250,600
4,D,2026-10-20,80,70,160
5,C,2026-11-01,999,999,999
6,B,2026-09-30,999,999,999
7,B,2026-10-16,-100.5,-50,-200.5
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path):
    return {
        "plan": write(tmp_path, "plan.toml", PLAN),
        "distributors": write(tmp_path, "D.csv", DISTRIBUTORS),
        "orders": write(tmp_path, "O.csv", ORDERS),
        "out": tmp_path / "RESULTS.csv",
    }


def run(files, **changes):
    options = {k: str(v) for k, v in {**files, **changes}.items()}
    out = io.StringIO()
    call_command(
        "commissions",
        "run",
        "--plan",
        options["plan"],
        "--period",
        options.get("period", "2026-10"),
        "--distributors",
        options["distributors"],
        "--orders",
        options["orders"],
        "--out",
        options["out"],
        stdout=out,
    )
    return out.getvalue()


def test_results_file_has_the_contract_columns_and_only_the_period(files):
    run(files)
    with open(files["out"], encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert tuple(rows[0].keys()) == RESULT_COLUMNS
    by_id = {r["member_id"]: r for r in rows}
    assert [r["member_id"] for r in rows] == ["A", "B", "C", "D"]  # D.csv's order
    # B: 600.50 − 100.50 in October; its September row does not count
    assert by_id["B"]["personal_pv"] == "500.00"
    assert by_id["C"]["personal_pv"] == "300.00"  # November's row does not count
    # A's group: 100 + B's 800 (B + C) + D's 80 = 980 → 5%
    assert by_id["A"]["group_pv"] == "980.00"
    assert by_id["A"]["rate"] == "0.05"
    for row in rows:
        parts = [Decimal(row[c]) for c in RESULT_COLUMNS[4:8]]
        assert Decimal(row["total"]) == sum(parts)


def test_personal_sales_use_the_net_amount(files):
    run(files)
    with open(files["out"], encoding="utf-8") as f:
        by_id = {r["member_id"]: r for r in csv.DictReader(f)}
    assert by_id["B"]["personal_sales_bonus"] == "100.00"  # 10% of 1,000.00


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("distributors", DISTRIBUTORS + "E,Z,钱多,2024-05-01,active\n", "row 6: sponsor_id Z"),
        ("distributors", DISTRIBUTORS + "B,A,又一个,2024-05-01,active\n", "repeats member_id B"),
        (
            "distributors",
            "member_id,sponsor_id,name,join_date,status\nA,C,甲,,active\nB,A,乙,,active\n"
            "C,B,丙,,active\nD,A,丁,,active\n",
            "loops back",
        ),
        ("distributors", DISTRIBUTORS + "E,A,钱多,2024-13-01,active\n", "row 6: join_date"),
        ("distributors", DISTRIBUTORS + "E,A,钱多,2024-05-01,retired\n", "row 6: status"),
        ("distributors", "id,parent\n1,\n", r"lacks the column\(s\) member_id"),
        ("orders", ORDERS + "8,A,2026-10-02,1O0,90,200\n", "row 9, column pv: 1O0"),
        ("orders", ORDERS + "8,A,2026-10-32,100,90,200\n", "row 9, column date"),
        ("orders", ORDERS + "8,A,2026-10-02,100.005,90,200\n", "row 9: pv, bv and amount"),
        ("orders", ORDERS + "8,Q,2026-10-02,100,90,200\n", "row 9: member_id Q"),
        ("orders", ORDERS + "8,A,2026-10-02,,90,200\n", "row 9 has an empty"),
        ("plan", PLAN.replace("[1000, 0.10]", "[50, 0.10]"), "stairstep.schedule"),
        ("plan", PLAN.replace("cap_ratio", "cap_rate"), "personal_sales.cap_rate"),
        ("plan", PLAN.replace("0.03]", "0.033333]"), "more than 4 decimal places"),
        ("plan", "[stairstep\n", "not valid TOML"),
    ],
)
def test_bad_input_stops_the_run_with_a_message_naming_it(files, tmp_path, name, text, message):
    files[name] = write(tmp_path, f"bad-{name}", text)
    with translation.override("en"), pytest.raises(CommandError, match=message):
        run(files)
    assert not files["out"].exists()


def test_a_bad_period_is_refused(files):
    with translation.override("en"), pytest.raises(CommandError, match="not YYYY-MM"):
        run(files, period="2026-13")


def test_messages_are_translated(files, tmp_path):
    files["distributors"] = write(tmp_path, "bad.csv", DISTRIBUTORS + "E,Z,钱多,,active\n")
    with (
        translation.override("zh-hans"),
        pytest.raises(CommandError, match="推荐人编号 Z 不是本文件中的会员编号"),
    ):
        run(files)


def test_compare_reports_payout_change_and_ratio(files, tmp_path):
    richer = write(tmp_path, "richer.toml", PLAN.replace("[[0, 0.1]]", "[[0, 0.2]]"))
    out = io.StringIO()
    call_command(
        "commissions",
        "compare",
        "--plan",
        str(files["plan"]),
        "--against",
        str(richer),
        "--period",
        "2026-10",
        "--distributors",
        str(files["distributors"]),
        "--orders",
        str(files["orders"]),
        "--out",
        str(tmp_path / "changes.csv"),
        stdout=out,
    )
    report = out.getvalue()
    assert '"members_up": 4' in report
    with open(tmp_path / "changes.csv", encoding="utf-8") as f:
        rows = {r["member_id"]: r for r in csv.DictReader(f)}
    assert Decimal(rows["B"]["change"]) == Decimal("100.00")  # 10% more of 1,000.00


def test_volumes_are_the_period_totals_in_cents(files):
    result = run_files(
        plan=load_plan(files["plan"]),
        period="2026-10",
        distributors=files["distributors"],
        orders=files["orders"],
    )
    assert result.volumes.pv.tolist() == [10000, 50000, 30000, 8000]
    assert result.volumes.amount.tolist() == [20000, 100000, 60000, 16000]
    assert result.network.parent.tolist() == [-1, 0, 1, 0]


def test_the_engine_error_carries_its_parameters(files):
    with pytest.raises(InputError) as caught:
        run_files(
            plan=load_plan(files["plan"]),
            period="10/2026",
            distributors=files["distributors"],
            orders=files["orders"],
        )
    assert caught.value.params == {"period": "10/2026"}


def test_the_console_script_runs_files_without_django_and_reports_errors(files, capsys):
    from guanxi.cli import main

    args = ["commissions", "run", "--plan", str(files["plan"]), "--period", "2026-10"]
    args += ["--distributors", str(files["distributors"]), "--orders", str(files["orders"])]
    with pytest.raises(SystemExit) as done:
        main([*args, "--out", str(files["out"])])
    assert done.value.code == 0
    assert '"members": 4' in capsys.readouterr().out
    assert files["out"].exists()
    with pytest.raises(SystemExit) as done:
        main([*args[:5], "2026-13", *args[6:], "--out", str(files["out"])])
    assert done.value.code == 1
    assert "2026-13 不是 YYYY-MM 格式" in capsys.readouterr().err
    with pytest.raises(SystemExit) as done:
        main(args)  # no --out
    assert done.value.code == 1
    assert "--out RESULTS.csv" in capsys.readouterr().err
