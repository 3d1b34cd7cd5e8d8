"""The features a lead is scored on, as columns of arrays, and how numbers are binned."""

from dataclasses import dataclass, field

import numpy as np

# A categorical value nobody filled in: naive Bayes skips it (as Odoo does); the
# logistic model treats "not given" as a value of its own.
UNSET = ""
# A missing number (e.g. hours to first contact of a lead nobody has contacted yet).
NONE_BIN = "none"


@dataclass(frozen=True)
class Spec:
    """Which columns are categories, which are numbers (with the bin edges naive Bayes
    and the logistic model's one-hot bins use), and which pairs are crossed."""

    categorical: tuple[str, ...]
    numeric: dict[str, tuple[float, ...]] = field(default_factory=dict)
    crosses: tuple[tuple[str, str], ...] = ()

    @property
    def fields(self) -> tuple[str, ...]:
        return (*self.categorical, *self.numeric)

    def to_json(self) -> dict:
        return {
            "categorical": list(self.categorical),
            "numeric": {name: list(edges) for name, edges in self.numeric.items()},
            "crosses": [list(pair) for pair in self.crosses],
        }

    @classmethod
    def from_json(cls, data: dict) -> "Spec":
        return cls(
            categorical=tuple(data["categorical"]),
            numeric={name: tuple(edges) for name, edges in data["numeric"].items()},
            crosses=tuple(tuple(pair) for pair in data["crosses"]),
        )


# What a lead is scored on (the adapter in sales/services/scoring.py fills these):
#   source, province, campaign (response code), interest (product), known (was the
#   person in the database / someone's customer on arrival), arrival (workday, evening
#   or weekend); response_hours (arrival → first logged activity, missing if none yet),
#   follow_ups (activities logged since arrival), age_days (days observed).
LEAD_SPEC = Spec(
    categorical=("source", "province", "campaign", "interest", "known", "arrival"),
    numeric={
        "response_hours": (1.0, 4.0, 24.0, 72.0),
        "follow_ups": (1.0, 2.0, 4.0, 7.0),
        "age_days": (3.0, 7.0, 14.0, 30.0),
    },
    crosses=(
        ("source", "known"),
        ("campaign", "interest"),
        ("source", "response_hours"),
        ("arrival", "source"),
        ("follow_ups", "age_days"),
        ("response_hours", "age_days"),
    ),
)


@dataclass
class Table:
    """Columns of equal length: categorical ones hold strings, numeric ones floats (NaN
    for missing)."""

    columns: dict[str, np.ndarray]

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()))) if self.columns else 0

    def take(self, rows: np.ndarray) -> "Table":
        return Table({name: col[rows] for name, col in self.columns.items()})

    @classmethod
    def from_rows(cls, rows: list[dict], spec: Spec) -> "Table":
        columns = {
            name: np.array([str(r.get(name) or UNSET) for r in rows], dtype=object)
            for name in spec.categorical
        }
        for name in spec.numeric:
            columns[name] = np.array(
                [np.nan if r.get(name) is None else float(r[name]) for r in rows], dtype=float
            )
        return cls(columns)


def bin_labels(values: np.ndarray, edges: tuple[float, ...]) -> np.ndarray:
    """Numbers as bin labels: "<1", "1-4", …, "≥72"; missing as NONE_BIN."""
    names = [f"<{edges[0]:g}"]
    names += [f"{lo:g}-{hi:g}" for lo, hi in zip(edges, edges[1:], strict=False)]
    names.append(f"≥{edges[-1]:g}")
    values = np.asarray(values, dtype=float)
    which = np.searchsorted(np.asarray(edges), values, side="right")
    labels = np.array(names, dtype=object)[np.minimum(which, len(names) - 1)]
    labels[np.isnan(values)] = NONE_BIN
    return labels


def as_categories(table: Table, spec: Spec, name: str) -> np.ndarray:
    """A column as strings: categorical as is, numeric binned."""
    if name in spec.numeric:
        return bin_labels(table.columns[name], spec.numeric[name])
    return table.columns[name]
