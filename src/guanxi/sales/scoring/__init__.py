"""Predictive lead scoring, a pure engine (no Django): a table of lead features in,
probabilities of winning and each lead's top contributing factors out.

* `naive_bayes` — the baseline, Odoo's predictive lead scoring: a naive Bayes over
  per-field value frequencies of won and lost leads;
* `logistic` — the product's model: L2-regularised logistic regression over one-hot
  field values, binned and linear numeric features and a few crosses of fields;
* `metrics` — AUC by ranks (Mann–Whitney).
"""

from guanxi.sales.scoring.logistic import LogisticModel, logistic_fit
from guanxi.sales.scoring.metrics import auc
from guanxi.sales.scoring.naive_bayes import NaiveBayes, naive_bayes_fit
from guanxi.sales.scoring.table import LEAD_SPEC, Spec, Table

__all__ = [
    "LEAD_SPEC",
    "LogisticModel",
    "NaiveBayes",
    "Spec",
    "Table",
    "auc",
    "logistic_fit",
    "naive_bayes_fit",
]
