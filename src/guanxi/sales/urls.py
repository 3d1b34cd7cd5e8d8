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
]

from guanxi.sales import views_quotes  # noqa: E402  (quotes, appended to keep merges easy)

urlpatterns += [
    path("quotes/", views_quotes.quote_list, name="quotes"),
    path("customers/<id:party_id>/quotes/new/", views_quotes.quote_new, name="quote_new"),
    path("quotes/<id:quote_id>/", views_quotes.quote_detail, name="quote"),
    path("quotes/<id:quote_id>/edit/", views_quotes.quote_edit, name="quote_edit"),
    path("quotes/<id:quote_id>/pdf/", views_quotes.quote_pdf, name="quote_pdf"),
    path("quotes/<id:quote_id>/<slug:action>/", views_quotes.quote_action, name="quote_action"),
]
