from django.urls import path

import guanxi.core.converters  # noqa: F401  (registers <id:...>)
from guanxi.sales import views
from guanxi.sales import views_contracts as contracts

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
    path("opportunities/<id:opportunity_id>/close/", views.opportunity_close, name="close"),
    path("customers/<id:party_id>/deals/", views.opportunity_new, name="opportunity_new"),
    path("opportunities/<id:opportunity_id>/move/", views.opportunity_move, name="move"),
    path("leads/<id:lead_id>/status/", views.lead_status, name="lead_status"),
    path("contracts/", contracts.contract_list, name="contracts"),
    path(
        "opportunities/<id:opportunity_id>/contract/",
        contracts.contract_new,
        name="contract_new",
    ),
    path("contracts/<id:contract_id>/", contracts.contract_detail, name="contract"),
    path("contracts/<id:contract_id>/submit/", contracts.contract_submit, name="contract_submit"),
    path(
        "contracts/<id:contract_id>/terminate/",
        contracts.contract_terminate,
        name="contract_terminate",
    ),
    path("contracts/<id:contract_id>/plan/", contracts.contract_plan, name="contract_plan"),
    path("contracts/<id:contract_id>/edit/", contracts.contract_edit, name="contract_edit"),
    path(
        "contracts/<id:contract_id>/collections/",
        contracts.collection_new,
        name="collection_new",
    ),
    path(
        "collections/<id:collection_id>/reverse/",
        contracts.collection_reverse,
        name="collection_reverse",
    ),
    path(
        "contracts/<id:contract_id>/attachments/",
        contracts.attachment_upload,
        name="attachment_upload",
    ),
    path(
        "contracts/attachments/<id:attachment_id>/",
        contracts.attachment_download,
        name="attachment",
    ),
    path("receivables/overdue/", contracts.overdue, name="overdue"),
    path("targets/", contracts.targets, name="targets"),
    path("targets/import/", contracts.targets_upload, name="targets_import"),
]

# Follow-up discipline: tasks, the manager's day, KPIs, work reports (日报 / 周报).
from guanxi.sales import views_followup, views_work_reports  # noqa: E402

urlpatterns += [
    path("tasks/", views_followup.tasks, name="tasks"),
    path("customers/<id:party_id>/tasks/", views_followup.task_new, name="task_new"),
    path("tasks/<id:task_id>/done/", views_followup.task_done, name="task_done"),
    path("tasks/<id:task_id>/cancel/", views_followup.task_cancel, name="task_cancel"),
    path("tasks/<id:task_id>/move/", views_followup.task_reschedule, name="task_reschedule"),
    path("team/day/", views_followup.team_day, name="team_day"),
    path("kpis/", views_followup.rep_kpis, name="kpis"),
    path("work-reports/", views_work_reports.work_reports, name="work_reports"),
    path("work-reports/<id:report_id>/", views_work_reports.work_report, name="work_report"),
]

from guanxi.sales import views_quotes  # noqa: E402  (quotes, appended to keep merges easy)

urlpatterns += [
    path("quotes/", views_quotes.quote_list, name="quotes"),
    path("customers/<id:party_id>/quotes/new/", views_quotes.quote_new, name="quote_new"),
    path("quotes/<id:quote_id>/", views_quotes.quote_detail, name="quote"),
    path("quotes/<id:quote_id>/edit/", views_quotes.quote_edit, name="quote_edit"),
    path("quotes/<id:quote_id>/pdf/", views_quotes.quote_pdf, name="quote_pdf"),
    path("quotes/<id:quote_id>/<slug:action>/", views_quotes.quote_action, name="quote_action"),
    path("board/stages/<id:stage_id>/more/", views.board_more, name="board_more"),
]
