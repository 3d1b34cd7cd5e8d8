from django.contrib.auth import views as auth_views
from django.urls import path

import guanxi.core.converters  # noqa: F401  (registers <id:...>)
from guanxi.core import views
from guanxi.core.views_language import language_switch

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("jobs/<id:job_id>/", views.job_detail, name="job_detail"),
    path("profile/tokens/", views.token_list, name="tokens"),
    path("organisation/", views.organisation, name="organisation"),
    path("organisation/staff/new/", views.staff_create, name="staff_create"),
    path("organisation/staff/<id:user_id>/", views.staff_edit, name="staff_edit"),
    path("healthz", views.healthz, name="healthz"),
    path("language/", language_switch, name="language"),
]
