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
