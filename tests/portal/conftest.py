from tests.commerce.conftest import Shop, english, shop  # noqa: F401  (shared fixtures)
