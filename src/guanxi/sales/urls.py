from django.urls import path

import guanxi.core.converters  # noqa: F401  (registers <id:...>)
from guanxi.sales import views

app_name = "sales"

urlpatterns = [
    path("pool/", views.pool, name="pool"),
    path("pool/<id:party_id>/claim/", views.claim, name="claim"),
    path("claims/", views.claims, name="claims"),
    path("claims/<id:claim_id>/release/", views.release, name="release"),
    path("leads/", views.leads, name="leads"),
    path("board/", views.board, name="board"),
    path("opportunities/", views.opportunity_list, name="opportunities"),
    path("reports/", views.reports, name="reports"),
    path("approvals/", views.approvals, name="approvals"),
    path("opportunities/<id:opportunity_id>/discount/", views.discount, name="discount"),
    path("customers/<id:party_id>/deals/", views.opportunity_new, name="opportunity_new"),
    path("opportunities/<id:opportunity_id>/move/", views.opportunity_move, name="move"),
    path("leads/<id:lead_id>/status/", views.lead_status, name="lead_status"),
    path("board/stages/<id:stage_id>/more/", views.board_more, name="board_more"),
]
