"""The lead scoring engine: naive Bayes worked by hand, AUC against a brute-force count,
the logistic model's factors adding up, and ours beating the baseline on a history
with interactions."""

import math
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guanxi.sales.scoring import LEAD_SPEC, Spec, Table, auc, logistic_fit, naive_bayes_fit
from guanxi.sales.scoring.logistic import LogisticModel, top_factors
from guanxi.sales.scoring.metrics import ranks
from guanxi.sales.scoring.optimize import lbfgs
from guanxi.sales.scoring.table import bin_labels

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

SPEC = Spec(categorical=("source", "province"))


def tiny() -> tuple[Table, np.ndarray]:
    """Three won leads, three lost: one province left blank, one never seen won."""
    rows = [
        ("call_in", "上海市", True),
        ("call_in", "上海市", True),
        ("web_form", "", True),
        ("web_form", "上海市", False),
        ("web_form", "北京市", False),
        ("import", "北京市", False),
    ]
    table = Table(
        {
            "source": np.array([r[0] for r in rows], dtype=object),
            "province": np.array([r[1] for r in rows], dtype=object),
        }
    )
    return table, np.array([r[2] for r in rows])


def one(source: str, province: str) -> Table:
    return Table(
        {"source": np.array([source], dtype=object), "province": np.array([province], dtype=object)}
    )


def test_naive_bayes_by_hand():
    table, won = tiny()
    nb = naive_bayes_fit(table, won, spec=SPEC)
    # counts + 0.1 each: source won {call_in 2.1, web_form 1.1, import 0.1} (sum 3.3),
    # lost {call_in 0.1, web_form 2.1, import 1.1} (3.3); province won {上海市 2.1,
    # 北京市 0.1} (2.2; the blank one is skipped), lost {上海市 1.1, 北京市 2.1} (3.2);
    # prior 3 won : 3 lost.
    assert nb.won["source"] == pytest.approx({"call_in": 2.1, "web_form": 1.1, "import": 0.1})
    assert nb.won["province"] == pytest.approx({"上海市": 2.1, "北京市": 0.1})
    assert nb.lost["province"] == pytest.approx({"上海市": 1.1, "北京市": 2.1})
    assert "" not in nb.won["province"]
    won_score = 0.5 * (1.1 / 3.3) * (2.1 / 2.2)
    lost_score = 0.5 * (2.1 / 3.3) * (1.1 / 3.2)
    assert nb.predict(one("web_form", "上海市"))[0] == pytest.approx(
        won_score / (won_score + lost_score)
    )
    # a blank or never-seen value leaves the field out of the product
    assert nb.predict(one("call_in", ""))[0] == pytest.approx(2.1 / (2.1 + 0.1))
    assert nb.predict(one("call_in", "广东省"))[0] == pytest.approx(2.1 / 2.2)
    ratios = nb.log_ratios(one("web_form", "上海市"))[0]
    assert ratios == pytest.approx([math.log(1.1 / 2.1), math.log((2.1 / 2.2) / (1.1 / 3.2))])


def test_naive_bayes_keeps_probabilities_off_0_and_1_and_needs_both_outcomes():
    table, won = tiny()
    nb = naive_bayes_fit(table, won, spec=SPEC)
    won_score, lost_score = (0.1 / 3.3) * (0.1 / 2.2), (1.1 / 3.3) * (2.1 / 3.2)
    assert nb.predict(one("import", "北京市"))[0] == pytest.approx(
        won_score / (won_score + lost_score)
    )
    nb.won["source"]["import"] = 1e-9  # Odoo keeps a probability within 0.01 %–99.99 %
    assert nb.predict(one("import", "北京市"))[0] == 0.0001
    with pytest.raises(ValueError, match="both"):
        naive_bayes_fit(table, np.ones(6, dtype=bool), spec=SPEC)


def test_numbers_are_binned_with_missing_apart():
    labels = bin_labels(np.array([0.5, 1.0, 3.9, 72.0, 500.0, np.nan]), (1.0, 4.0, 24.0, 72.0))
    assert list(labels) == ["<1", "1-4", "1-4", "≥72", "≥72", "none"]


def test_auc_worked_example():
    # won 0.9 and 0.4 against lost 0.1 and 0.4: 1 + 1 + 1 + ½ of 4 pairs
    assert auc(np.array([1, 0, 1, 0]), np.array([0.9, 0.1, 0.4, 0.4])) == 0.875
    assert math.isnan(auc(np.array([1, 1]), np.array([0.2, 0.3])))


def brute_force_auc(y, s) -> float:
    pos = [b for a, b in zip(y, s, strict=True) if a]
    neg = [b for a, b in zip(y, s, strict=True) if not a]
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


labelled = st.lists(st.tuples(st.booleans(), st.integers(-5, 5)), min_size=2, max_size=40).filter(
    lambda rows: 0 < sum(a for a, _ in rows) < len(rows)
)


@given(labelled)
def test_auc_is_the_pairwise_count(rows):
    y = np.array([a for a, _ in rows])
    s = np.array([b for _, b in rows], dtype=float)  # small integers: many ties
    assert auc(y, s) == pytest.approx(brute_force_auc(y, s))
    assert auc(y, -s) == pytest.approx(1 - auc(y, s))
    assert auc(y, np.exp(s)) == pytest.approx(auc(y, s))  # only the order matters


@given(st.lists(st.integers(-3, 3), min_size=1, max_size=30))
def test_ranks_share_ties(values):
    got = ranks(np.array(values, dtype=float))
    for i, v in enumerate(values):
        below = sum(1 for w in values if w < v)
        equal = sum(1 for w in values if w == v)
        assert got[i] == pytest.approx(below + (equal + 1) / 2)


def test_lbfgs_finds_the_minimum_of_a_quadratic():
    a = np.array([[3.0, 1.0], [1.0, 2.0]])
    b = np.array([1.0, -1.0])
    x, _iterations = lbfgs(lambda x: (0.5 * x @ a @ x - b @ x, a @ x - b), np.zeros(2))
    assert x == pytest.approx(np.linalg.solve(a, b), abs=1e-5)


def synthetic(n: int, seed: int = 3):
    from scoring_data import generate

    return generate(n, seed=seed)


@pytest.fixture(scope="module")
def fitted():
    table, won, _truth = synthetic(4000)
    return table, won, logistic_fit(table, won, spec=LEAD_SPEC)


def test_factors_add_up_to_the_log_odds_and_average_out(fitted):
    table, _won, model = fitted
    probability, contributions = model.explain(table)
    log_odds = model.intercept + contributions.sum(axis=1)
    assert probability == pytest.approx(1 / (1 + np.exp(-log_odds)))
    assert contributions.shape == (len(table), len(LEAD_SPEC.fields))
    assert contributions.mean(axis=0) == pytest.approx(np.zeros(len(model.fields)), abs=1e-9)
    # per group (a field or a cross) they add up the same way
    assert model.contributions(table).sum(axis=1) == pytest.approx(contributions.sum(axis=1))


def test_the_model_survives_json(fitted):
    import json

    table, _won, model = fitted
    text = json.dumps(model.to_json())
    assert "\\u0000" not in text  # PostgreSQL's jsonb refuses NUL characters
    again = LogisticModel.from_json(json.loads(text))
    assert again.predict(table) == pytest.approx(model.predict(table), abs=1e-5)


def test_the_model_learns_the_obvious(fitted):
    table, _won, model = fitted
    sources = table.columns["source"]
    p = model.predict(table)
    # in the generator IBO referrals win most, imports least
    assert p[sources == "ibo_referral"].mean() > p[sources == "import"].mean() + 0.15
    assert model.predict(table).min() > 0 and model.predict(table).max() < 1


def test_top_factors_strongest_first_both_ways():
    groups = ["a", "b", "c", "d"]
    found = top_factors(np.array([[0.3, -0.9, 0.01, 1.2]]), groups, k=2)
    assert found == [[("d", 1.2), ("a", 0.3), ("b", -0.9)]]  # c is below the floor


def test_ours_ranks_held_out_leads_at_least_as_well_as_naive_bayes():
    table, won, truth = synthetic(8000, seed=11)
    train, test = np.arange(6400), np.arange(6400, 8000)
    nb = naive_bayes_fit(table.take(train), won[train], spec=LEAD_SPEC)
    ours = logistic_fit(table.take(train), won[train], spec=LEAD_SPEC)
    held = table.take(test)
    ours_auc, nb_auc = auc(won[test], ours.predict(held)), auc(won[test], nb.predict(held))
    assert ours_auc > nb_auc + 0.005
    assert ours_auc <= auc(won[test], truth[test]) + 0.02  # no better than the truth


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000))
def test_scores_stay_probabilities_on_any_small_history(seed):
    table, won, _truth = synthetic(300, seed=seed)
    if won.all() or not won.any():
        return
    p = logistic_fit(table, won, spec=LEAD_SPEC, max_iter=50).predict(table)
    assert np.all((p > 0) & (p < 1)) and np.isfinite(p).all()
