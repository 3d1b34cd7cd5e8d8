from guanxi.commerce.models.catalogue import (
    Category,
    PriceList,
    PriceListItem,
    Product,
    ProductAnnouncement,
    ProductNewsSubscription,
)
from guanxi.commerce.models.orders import Order, OrderEvent, OrderLine, Payment
from guanxi.commerce.models.points import EarningRule, PointsEntry
from guanxi.commerce.models.returns import ReturnLine, ReturnRequest
from guanxi.commerce.models.subscriptions import Subscription

__all__ = [
    "Category",
    "EarningRule",
    "Order",
    "OrderEvent",
    "OrderLine",
    "Payment",
    "PointsEntry",
    "PriceList",
    "PriceListItem",
    "Product",
    "ProductAnnouncement",
    "ProductNewsSubscription",
    "ReturnLine",
    "ReturnRequest",
    "Subscription",
]
