from django.urls import path

import guanxi.core.converters  # noqa: F401  (registers <id:...>)
from guanxi.customers import views, views_import, views_review

app_name = "customers"

urlpatterns = [
    path("", views.party_list, name="list"),
    path("export.csv", views.party_export, name="export"),
    path("export.xlsx", views.party_export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("new/", views.party_create, name="create"),
    path("follow-ups/", views.follow_up_list, name="followups"),
    path("transfer/", views.transfer, name="transfer"),
    path("imports/", views_import.import_list, name="imports"),
    path("imports/new/", views_import.import_new, name="import_new"),
    path("imports/<id:batch_id>/", views_import.import_detail, name="import_detail"),
    path("imports/<id:batch_id>/progress/", views_import.import_progress, name="import_progress"),
    path(
        "imports/<id:batch_id>/<str:kind>.csv",
        views_import.import_report,
        name="import_report",
    ),
    path("review/", views_review.review_list, name="review"),
    path("review/scan/", views_review.review_scan, name="review_scan"),
    path("review/<id:review_id>/", views_review.review_detail, name="review_detail"),
    path(
        "review/conflicts/<id:conflict_id>/",
        views_review.conflict_decide,
        name="conflict_decide",
    ),
    path("merges/", views_review.merge_list, name="merges"),
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
