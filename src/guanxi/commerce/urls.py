from django.urls import path

import guanxi.core.converters  # noqa: F401  (registers <id:...>)
from guanxi.commerce import views

app_name = "commerce"

urlpatterns = [
    path("orders/", views.order_list, name="orders"),
    path("orders/new/", views.order_new, name="order_new"),
    path("orders/<id:order_id>/", views.order_detail, name="order"),
    path("orders/<id:order_id>/pay/", views.order_pay, name="order_pay"),
    path("orders/<id:order_id>/advance/", views.order_advance, name="order_advance"),
    path("orders/<id:order_id>/cancel/", views.order_cancel, name="order_cancel"),
    path("orders/<id:order_id>/return/", views.return_new, name="return_new"),
    path("fulfilment/", views.fulfilment_board, name="fulfilment"),
    path("returns/", views.return_queue, name="returns"),
    path("returns/<id:return_id>/", views.return_decide, name="return_decide"),
    path("customers/<id:party_id>/points/", views.points_adjust, name="points_adjust"),
    path("auto-reorders/<id:subscription_id>/", views.subscription_change, name="subscription"),
    path("products/", views.product_list, name="products"),
    path("announcements/", views.announcements, name="announcements"),
]
