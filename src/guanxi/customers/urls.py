from django.urls import path

import guanxi.core.converters  # noqa: F401  (registers <id:...>)
from guanxi.customers import views

app_name = "customers"

urlpatterns = [
    path("", views.party_list, name="list"),
    path("export.csv", views.party_export, name="export"),
    path("new/", views.party_create, name="create"),
    path("follow-ups/", views.follow_up_list, name="followups"),
    path("transfer/", views.transfer, name="transfer"),
    path("<id:party_id>/", views.party_detail, name="detail"),
    path("<id:party_id>/edit/", views.party_edit, name="edit"),
    path("<id:party_id>/delete/", views.party_delete, name="delete"),
    path("<id:party_id>/timeline/", views.party_timeline, name="timeline"),
    path("<id:party_id>/history/", views.party_history, name="history"),
    path("<id:party_id>/log/", views.interaction_create, name="log"),
    path("<id:party_id>/contacts/", views.contact_point_create, name="contact_add"),
    path(
        "<id:party_id>/contacts/<id:cp_id>/delete/",
        views.contact_point_delete,
        name="contact_delete",
    ),
    path("<id:party_id>/consent/", views.consent_create, name="consent"),
    path("<id:party_id>/share/", views.party_share, name="share"),
    path("<id:party_id>/owner/", views.party_reassign, name="reassign"),
    path("<id:party_id>/share/<id:user_id>/stop/", views.party_unshare, name="unshare"),
    path("follow-ups/<id:interaction_id>/done/", views.follow_up_done, name="followup_done"),
]
