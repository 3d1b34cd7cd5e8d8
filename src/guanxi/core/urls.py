from django.contrib.auth import views as auth_views
from django.urls import path

import guanxi.core.converters  # noqa: F401  (registers <id:...>)
from guanxi.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("jobs/<id:job_id>/", views.job_detail, name="job_detail"),
    path("profile/tokens/", views.token_list, name="tokens"),
    path("healthz", views.healthz, name="healthz"),
]
