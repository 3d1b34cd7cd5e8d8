from django.urls import path

from guanxi.customers import views

app_name = "customers"

urlpatterns = [
    path("", views.party_list, name="list"),
    path("export.csv", views.party_export, name="export"),
    path("new/", views.party_create, name="create"),
    path("follow-ups/", views.follow_up_list, name="followups"),
    path("transfer/", views.transfer, name="transfer"),
    path("<int:party_id>/", views.party_detail, name="detail"),
    path("<int:party_id>/edit/", views.party_edit, name="edit"),
    path("<int:party_id>/delete/", views.party_delete, name="delete"),
    path("<int:party_id>/timeline/", views.party_timeline, name="timeline"),
    path("<int:party_id>/history/", views.party_history, name="history"),
    path("<int:party_id>/log/", views.interaction_create, name="log"),
    path("<int:party_id>/contacts/", views.contact_point_create, name="contact_add"),
    path(
        "<int:party_id>/contacts/<int:cp_id>/delete/",
        views.contact_point_delete,
        name="contact_delete",
    ),
    path("<int:party_id>/consent/", views.consent_create, name="consent"),
    path("<int:party_id>/share/", views.party_share, name="share"),
    path("follow-ups/<int:interaction_id>/done/", views.follow_up_done, name="followup_done"),
]
