"""The REST API under /api/v1 (Django Ninja). /api/v1/openapi.json is the contract."""

from ninja import NinjaAPI

from guanxi.commerce.api import router as commerce_router
from guanxi.commerce.api_portal import router as portal_router
from guanxi.core.api import router as core_router
from guanxi.core.api_support import AUTH, install_error_handlers
from guanxi.customers.api import router as customers_router
from guanxi.customers.api_review import router as review_router
from guanxi.sales.api import router as sales_router
from guanxi.sales.api_contracts import router as contracts_router
from guanxi.sales.api_followup import router as followup_router
from guanxi.sales.api_quotes import router as quotes_router
from guanxi.sales.api_scoring import router as scoring_router

api = NinjaAPI(
    title="Guanxi API",
    version="1.0.0",
    description="Shared customer database of Guanxi CRM. Authenticate with "
    "`Authorization: Bearer <token>`; lists use keyset pagination via `next_cursor`.",
    auth=AUTH,
    urls_namespace="api-v1",
)
install_error_handlers(api)
api.add_router("/", core_router)
api.add_router("/", customers_router)
api.add_router("/", review_router)
api.add_router("/", commerce_router)
api.add_router("/portal/", portal_router)
api.add_router("/", sales_router)
api.add_router("/", followup_router)
api.add_router("/", contracts_router)
api.add_router("/", quotes_router)
api.add_router("/", scoring_router)
