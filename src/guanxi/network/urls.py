from django.urls import path

import guanxi.core.converters  # noqa: F401  (registers <id:...>)
from guanxi.network import views, views_health, views_manage

app_name = "network"

urlpatterns = [
    path("", views.network_home, name="home"),
    path("me/", views.back_office, name="me"),
    path("health/", views_health.health_page, name="health"),
    path("plans/", views_manage.plans, name="plans"),
    path("enrol/<id:party_id>/", views_manage.enrol, name="enrol"),
    path("d/<str:member_id>/edit/", views_manage.edit, name="edit"),
    path("d/<str:member_id>/", views.distributor_detail, name="detail"),
    path("d/<str:member_id>/children/", views.distributor_children, name="children"),
    path("d/<str:member_id>/downline/", views.downline, name="downline"),
    path("d/<str:member_id>/sponsor/", views.change_sponsor, name="sponsor"),
    path("runs/", views.run_list, name="runs"),
    path("runs/<id:run_id>/", views.run_detail, name="run"),
    path("runs/<id:run_id>/commit/", views.run_commit, name="commit"),
    path("runs/<id:run_id>/d/<str:member_id>/", views.statement_page, name="statement"),
    path("runs/<id:run_id>/d/<str:member_id>/pdf/", views.statement_pdf, name="statement_pdf"),
]
