from django.urls import path

import guanxi.core.converters  # noqa: F401  (registers <id:...>)
from guanxi.portal import views, views_account

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.portal_login, name="login"),
    path("logout/", views.portal_logout, name="logout"),
    path("register/", views.register, name="register"),
    path("products/<id:product_id>/", views.product_detail, name="product"),
    path("products/<id:product_id>/cart/", views.cart_put, name="cart_put"),
    path("products/<id:product_id>/subscribe/", views_account.subscribe, name="subscribe"),
    path("products/<id:product_id>/redeem/", views_account.redeem, name="redeem"),
    path("cart/", views.cart_page, name="cart"),
    path("orders/", views_account.order_list, name="orders"),
    path("orders/<id:order_id>/", views_account.order_detail, name="order"),
    path("orders/<id:order_id>/action/", views_account.order_action, name="order_action"),
    path("points/", views_account.points_page, name="points"),
    path("me/", views_account.me, name="me"),
    path("me/news/", views_account.news, name="news"),
    path(
        "me/auto-reorders/<id:subscription_id>/",
        views_account.subscription_action,
        name="subscription",
    ),
    path("help/", views_account.help_page, name="help"),
    path("training/", views_account.course_list, name="courses"),
    path("training/<id:course_id>/", views_account.course_detail, name="course"),
    path("training/lessons/<id:lesson_id>/", views_account.lesson_detail, name="lesson"),
]
