from django.urls import path

import guanxi.core.converters  # noqa: F401  (registers <id:...>)
from guanxi.service import views

app_name = "service"

urlpatterns = [
    path("requests/", views.request_list, name="requests"),
    path("requests/<id:request_id>/", views.request_detail, name="request"),
    path("requests/<id:request_id>/close/", views.request_close, name="request_close"),
    path("questions/", views.question_list, name="questions"),
]
