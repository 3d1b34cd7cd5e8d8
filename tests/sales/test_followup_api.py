"""The follow-up tasks API: plan, list, complete, cancel, move, with the web's rules."""

import datetime

from django.utils import timezone

from guanxi.customers.models import Interaction
from guanxi.sales.models import FollowUpTask
from tests.conftest import api_client


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_tasks_through_the_api(company, records):
    rep = api_client(company.rep)
    due = (timezone.now() + datetime.timedelta(hours=3)).isoformat()
    made = post(
        rep,
        "/api/v1/tasks",
        {"party_id": records["own"].pk, "title": "电话回访", "due_at": due, "remind_before": 60},
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["assignee_id"] == company.rep.pk and body["status"] == "open"
    task_id = body["id"]
    assert [t["id"] for t in rep.get("/api/v1/tasks").json()["items"]] == [task_id]
    assert api_client(company.teammate).get(f"/api/v1/tasks/{task_id}").status_code == 404
    assert api_client(company.far_rep).get("/api/v1/tasks?mine=false").json()["items"] == []
    other = post(
        rep, "/api/v1/tasks", {"party_id": records["teammate"].pk, "title": "x", "due_at": due}
    )
    assert other.status_code == 404
    bad = post(rep, "/api/v1/tasks", {"party_id": records["own"].pk, "title": "", "due_at": "x"})
    assert bad.status_code == 422
    assigned = post(
        rep,
        "/api/v1/tasks",
        {
            "party_id": records["own"].pk,
            "title": "x",
            "due_at": due,
            "assignee_id": company.teammate.pk,
        },
    )
    assert assigned.status_code == 403
    moved = post(rep, f"/api/v1/tasks/{task_id}/reschedule", {"due_at": due})
    assert moved.status_code == 200
    empty = post(rep, f"/api/v1/tasks/{task_id}/complete", {"outcome": " "})
    assert empty.status_code == 422 and "outcome" in empty.json()["errors"]
    done = post(
        rep,
        f"/api/v1/tasks/{task_id}/complete",
        {"outcome": "客户同意试用", "activity_outcome": "interested"},
    )
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert Interaction.objects.get(pk=done.json()["interaction_id"]).kind == "call"
    again = post(rep, f"/api/v1/tasks/{task_id}/cancel", {"reason": "重复"})
    assert again.status_code == 422
    assert FollowUpTask.objects.get().status == "done"
