"""Fixtures shared by the sales tests (the quote tests' catalogue lives in quotes_support)."""

from tests.sales.quotes_support import catalogue  # noqa: F401  (a fixture)
