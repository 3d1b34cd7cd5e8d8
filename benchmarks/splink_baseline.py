"""Baseline for the duplicate-detection benchmark: splink (probabilistic record linkage,
Fellegi-Sunter model) on DuckDB, run on the same synthetic customer CSV as our detector.

Requirement, in a venv of its own (splink is not a dependency of Guanxi itself):

    pip install splink==5.0.0
    # installed with it: duckdb==2.0.0 pyarrow==26.0.1 sqlglot==30.30.0 (no pandas)

Usage:

    python benchmarks/splink_baseline.py FILE.csv [--threshold 0.9] [--max-pairs 2e6]

prints the wall time, the number of predicted duplicate clusters and, scored against the
CSV's entity_id column (ground truth, never shown to splink), pairwise precision, recall
and F1. `run_splink()` is the same run for the benchmark driver.

The setup is meant to be what a careful splink user would do with simple, generic
preprocessing in DuckDB SQL (no Chinese-specific libraries, so a pinyin name and its
characters, or traditional and simplified characters, are just different strings):

- digits-only phones without a 0086/86 country code or trunk 0; lower-cased e-mail and
  WeChat id; name lower-cased without spaces, plus a sorted-tokens variant so that
  "Wei Zhang" meets "Zhang Wei"; 省/市/区/县 suffixes stripped from city and district
  and removed from the address; birthdays parsed to dates;
- blocking on exact mobile, e-mail, WeChat, phone, name + city, sorted name + city and
  name + birthday, each key ignored where more than MAX_BLOCK_SIZE records share it;
- comparisons: name (exact with term frequencies, sorted tokens, Jaro-Winkler and
  Levenshtein levels), mobile, phone, e-mail, WeChat, birthday, city, district,
  address (Jaro-Winkler levels) and gender;
- the prior from deterministic rules, u by random sampling, m by expectation
  maximisation blocked on mobile and then on name + birthday; then predict and
  connected-components clustering at the threshold.
"""

import argparse
import csv
import itertools
import logging
import sys
import time
from collections import defaultdict

import duckdb
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
from splink import comparison_level_library as cll
from splink import comparison_library as cl
from splink.internals import comparison_level as splink_comparison_level

COLUMNS = [
    "external_id",
    "name",
    "mobile",
    "phone",
    "email",
    "wechat",
    "province",
    "city",
    "district",
    "address",
    "birthday",
    "gender",
    "source",
    "tags",
]

# Assumed recall of the deterministic rules used to estimate the prior match probability.
DETERMINISTIC_RECALL = 0.7

# Upper bound on the blocked pairs each expectation-maximisation session trains on.
EM_MAX_PAIRS = 5e6


def _phone_sql(digits: str) -> str:
    """A digits-only phone without a leading 0086/86 country code or trunk 0."""
    no_country = (
        f"CASE WHEN {digits} LIKE '0086%' THEN substr({digits}, 5)"
        f" WHEN {digits} LIKE '86%' AND length({digits}) >= 12 THEN substr({digits}, 3)"
        f" ELSE {digits} END"
    )
    return f"nullif(ltrim({no_country}, '0'), '')"


def _text_sql(column: str) -> str:
    return f"nullif(lower(trim({column})), '')"


def _region_sql(column: str) -> str:
    """Administrative unit without its trailing suffix: 广东省 -> 广东, 南山区 -> 南山."""
    suffix = "(特别行政区|自治区|自治州|省|市|区|县)$"
    return f"nullif(regexp_replace(trim({column}), '{suffix}', ''), '')"


# Blocking keys shared by more records than this are left out of blocking (the records
# are still compared through their other keys), so that a placeholder phone number or a
# very common name in one city cannot blow up the number of scored pairs.
MAX_BLOCK_SIZE = 100

# (blocking-key column, normalised columns it is made of)
BLOCKING_KEYS = {
    "block_mobile": ("mobile_norm",),
    "block_email": ("email_norm",),
    "block_wechat": ("wechat_norm",),
    "block_phone": ("phone_norm",),
    "block_name_city": ("name_norm", "city_norm"),
    "block_sorted_name_city": ("name_sorted", "city_norm"),
    "block_name_birthday": ("name_norm", "birthday_date"),
}


def _blocking_key_sql(key: str, columns: tuple[str, ...]) -> str:
    value = " || '|' || ".join(f"CAST({c} AS VARCHAR)" for c in columns)
    partition = ", ".join(columns)
    return (
        f"CASE WHEN count(*) OVER (PARTITION BY {partition}) <= {MAX_BLOCK_SIZE}"
        f" THEN {value} END AS {key}"
    )


_BLOCKING_KEYS_SQL = ",\n    ".join(_blocking_key_sql(k, c) for k, c in BLOCKING_KEYS.items())

PREPARE_SQL = f"""
CREATE OR REPLACE TABLE customers_prepared AS
WITH digits AS (
    SELECT
        *,
        regexp_replace(coalesce(mobile, ''), '[^0-9]', '', 'g') AS mobile_digits,
        regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g') AS phone_digits
    FROM customers_raw
),
normalised AS (
    SELECT
        external_id,
        nullif(lower(regexp_replace(name, '\\s+', '', 'g')), '') AS name_norm,
        nullif(array_to_string(list_sort(
            string_split_regex(lower(trim(name)), '\\s+')), ''), '') AS name_sorted,
        {_phone_sql("mobile_digits")} AS mobile_norm,
        {_phone_sql("phone_digits")} AS phone_norm,
        {_text_sql("email")} AS email_norm,
        {_text_sql("wechat")} AS wechat_norm,
        {_region_sql("city")} AS city_norm,
        {_region_sql("district")} AS district_norm,
        nullif(regexp_replace(address, '[\\s,，]|省|市|区|县', '', 'g'), '') AS address_norm,
        -- the address's house, building and flat numbers, which survive abbreviation of
        -- the place names in front of them ("南京路436号26栋3001室" -> "436-26-3001")
        CASE WHEN len(regexp_extract_all(address, '[0-9]+')) >= 2
            THEN array_to_string(regexp_extract_all(address, '[0-9]+'), '-') END
            AS address_numbers,
        coalesce(
            try_strptime(trim(birthday), '%Y-%m-%d'),
            try_strptime(trim(birthday), '%Y/%m/%d'),
            try_strptime(trim(birthday), '%Y%m%d')
        )::DATE AS birthday_date,
        nullif(upper(trim(gender)), '') AS gender_norm
    FROM digits
)
SELECT
    *,
    {_BLOCKING_KEYS_SQL}
FROM normalised
"""


def _settings() -> SettingsCreator:
    name = cl.CustomComparison(
        output_column_name="name",
        comparison_levels=[
            cll.NullLevel("name_norm"),
            cll.ExactMatchLevel("name_norm", term_frequency_adjustments=True),
            cll.ExactMatchLevel("name_sorted").configure(
                label_for_charts="Exact match on sorted name tokens"
            ),
            cll.JaroWinklerLevel("name_norm", 0.92),
            cll.LevenshteinLevel("name_norm", 1),
            cll.JaroWinklerLevel("name_norm", 0.8),
            cll.ElseLevel(),
        ],
    )
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="external_id",
        comparisons=[
            name,
            cl.LevenshteinAtThresholds("mobile_norm", 1).configure(term_frequency_adjustments=True),
            cl.ExactMatch("phone_norm").configure(term_frequency_adjustments=True),
            cl.EmailComparison("email_norm"),
            cl.ExactMatch("wechat_norm"),
            cl.DateOfBirthComparison(
                "birthday_date",
                input_is_string=False,
                datetime_thresholds=[1, 10],
                datetime_metrics=["year", "year"],
            ),
            cl.ExactMatch("city_norm").configure(term_frequency_adjustments=True),
            cl.ExactMatch("district_norm"),
            cl.CustomComparison(
                output_column_name="address",
                comparison_levels=[
                    cll.NullLevel("address_norm"),
                    cll.ExactMatchLevel("address_norm"),
                    cll.ExactMatchLevel("address_numbers").configure(
                        label_for_charts="Same house/building/flat numbers"
                    ),
                    cll.JaroWinklerLevel("address_norm", 0.9),
                    cll.JaroWinklerLevel("address_norm", 0.75),
                    cll.ElseLevel(),
                ],
            ),
            cl.ExactMatch("gender_norm"),
        ],
        blocking_rules_to_generate_predictions=[block_on(key) for key in BLOCKING_KEYS],
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )


def _load_csv(con: duckdb.DuckDBPyConnection, csv_path: str) -> None:
    columns = ", ".join(f"'{c}': 'VARCHAR'" for c in COLUMNS)
    con.execute(
        f"""
        CREATE OR REPLACE TABLE customers_raw AS
        SELECT {", ".join(COLUMNS)}
        FROM read_csv(?, header = true, columns = {{{columns}, 'entity_id': 'VARCHAR'}},
                      quote = '"', escape = '"')
        """,
        [csv_path],
    )


def _tolerate_zero_m_probabilities() -> None:
    """Work around splink 5.0.0 aborting EM when an m probability underflows to 0.0.

    When a comparison level is (almost) only ever seen among non-matches of an EM
    training block, expectation maximisation drives its m probability to exactly 0.0,
    and splink 5.0.0's setter then raises "m_probability value 0.0 is below the minimum
    allowed value of 1e-300". Splink already floors m and u at that same minimum when it
    turns them into match weights, so storing the floor instead of raising gives the
    model splink intends (a very strong "not a match" weight for that level).
    """
    level_class = splink_comparison_level.ComparisonLevel
    floor = getattr(splink_comparison_level, "M_U_CLAMP_MIN", None)
    current = level_class.__dict__.get("m_probability")
    if floor is None or not isinstance(current, property):
        return
    if getattr(current.fset, "floors_m_probability", False):
        return

    def set_m_probability(level, value):
        if isinstance(value, float) and 0.0 <= value < floor:
            value = floor
        current.fset(level, value)

    set_m_probability.floors_m_probability = True
    level_class.m_probability = property(
        current.fget, set_m_probability, current.fdel, current.__doc__
    )


def _pairs_from_clusters(members: dict[str, list[str]]) -> set[tuple[str, str]]:
    pairs: set[tuple[str, str]] = set()
    for ids in members.values():
        if len(ids) > 1:
            pairs.update(itertools.combinations(sorted(ids), 2))
    return pairs


def run_splink(
    csv_path: str, *, threshold: float = 0.9, max_pairs: float = 2e6, verbose: bool = False
) -> dict:
    """Deduplicate `csv_path` with splink and return its predictions.

    Returns {"pairs": set of sorted (external_id, external_id) pairs that share a cluster
    at `threshold` match probability, "seconds": wall time of preprocessing, training,
    prediction and clustering (reading the CSV into DuckDB excluded), "clusters": number
    of predicted clusters holding at least two records, "scored_pairs": number of pairs
    splink scored at or above the threshold}. `max_pairs` bounds the random sample of record
    pairs used to estimate the u probabilities; `verbose` shows splink's own log (INFO)
    instead of errors only.
    """
    con = duckdb.connect(":memory:")
    con.execute("SET enable_progress_bar = false")
    _load_csv(con, csv_path)

    _tolerate_zero_m_probabilities()
    started = time.perf_counter()
    con.execute(PREPARE_SQL)
    db_api = DuckDBAPI(connection=con)
    customers = db_api.register("customers_prepared")
    linker = Linker(customers, _settings(), log_level=logging.INFO if verbose else logging.ERROR)

    training = linker.training
    training.estimate_probability_two_random_records_match(
        [
            "l.mobile_norm = r.mobile_norm AND l.name_norm = r.name_norm",
            "l.email_norm = r.email_norm AND l.name_norm = r.name_norm",
            block_on("name_norm", "birthday_date", "city_norm"),
        ],
        recall=DETERMINISTIC_RECALL,
    )
    training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=42)
    # m by EM on two independent blocks: on mobile (trains name, birthday, ...), then on
    # name + birthday (trains mobile and the rest); at most EM_MAX_PAIRS pairs each.
    for rule in (block_on("mobile_norm"), block_on("name_norm", "birthday_date")):
        training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True, max_pairs=EM_MAX_PAIRS
        )

    predictions = linker.inference.predict(threshold_match_probability=threshold)
    clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=threshold
    )
    rows = con.sql(
        f"""
        SELECT cluster_id, list(external_id) FROM {clustered.physical_name}
        GROUP BY cluster_id HAVING count(*) > 1
        """
    ).fetchall()
    scored_pairs = con.sql(f"SELECT count(*) FROM {predictions.physical_name}").fetchall()[0][0]
    seconds = time.perf_counter() - started

    members = {cluster_id: ids for cluster_id, ids in rows}
    con.close()
    return {
        "pairs": _pairs_from_clusters(members),
        "seconds": seconds,
        "clusters": len(members),
        "scored_pairs": scored_pairs,
    }


def true_pairs(csv_path: str) -> set[tuple[str, str]]:
    """Sorted external_id pairs that share an entity_id (the ground truth)."""
    entities: dict[str, list[str]] = defaultdict(list)
    with open(csv_path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            entities[row["entity_id"]].append(row["external_id"])
    return _pairs_from_clusters(entities)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("csv_path")
    parser.add_argument("--threshold", type=float, default=0.9)
    parser.add_argument("--max-pairs", type=float, default=2e6)
    parser.add_argument("--verbose", action="store_true", help="show splink's training log")
    args = parser.parse_args(argv)

    result = run_splink(
        args.csv_path, threshold=args.threshold, max_pairs=args.max_pairs, verbose=args.verbose
    )
    predicted = result["pairs"]
    truth = true_pairs(args.csv_path)
    hits = len(predicted & truth)
    precision = hits / len(predicted) if predicted else 0.0
    recall = hits / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    print(f"splink time:        {result['seconds']:.1f} s")
    print(f"clusters (>=2):     {result['clusters']}")
    print(f"scored pairs >= t:  {result['scored_pairs']}")
    print(f"predicted pairs:    {len(predicted)}")
    print(f"true pairs:         {len(truth)}")
    print(f"precision:          {precision:.4f}")
    print(f"recall:             {recall:.4f}")
    print(f"F1:                 {f1:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
