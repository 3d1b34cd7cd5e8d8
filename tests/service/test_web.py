"""Staff pages: the request queue and a request follow customer visibility (404 for
others' requests), answering with field errors instead of 500s, the question bank, the
360 timeline and the menu."""

import datetime

from django.urls import reverse
from django.utils import timezone

from guanxi.customers import timeline
from guanxi.service.models import ServiceRequest
from guanxi.service.services import service_request_create
from tests.conftest import login as staff_login
from tests.factories import PartyFactory


def login(user):
    """A logged-in client that reads the pages in English."""
    client = staff_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def file(actor, party, subject="订单还没有收到", channel="phone", **extra):
    return service_request_create(
        actor=actor, party=party, subject=subject, body="还没收到快递。", channel=channel, **extra
    )


def test_the_queue_lists_open_requests_the_user_may_see(company, portal):
    mine = file(company.agent, portal.consumer, subject="我的客户的问题")
    theirs = file(company.agent, PartyFactory(owner=company.far_rep), subject="别人客户的问题")
    listing = login(company.rep).get(reverse("service:requests")).content.decode()
    assert mine.subject in listing and theirs.subject not in listing
    everything = login(company.agent).get(reverse("service:requests")).content.decode()
    assert mine.subject in everything and theirs.subject in everything
    login(company.agent).post(reverse("service:request_close", args=[mine.pk]))
    c = login(company.rep)
    assert mine.subject not in c.get(reverse("service:requests")).content.decode()
    closed = c.get(reverse("service:requests"), {"status": "closed"}).content.decode()
    assert mine.subject in closed
    assert mine.subject in c.get(reverse("service:requests"), {"status": "all"}).content.decode()
    assert c.get(reverse("service:requests"), {"status": "x", "page": "zz"}).status_code == 200


def test_others_requests_are_not_found(company, portal):
    theirs = file(company.agent, PartyFactory(owner=company.far_rep))
    c = login(company.rep)
    assert c.get(reverse("service:request", args=[theirs.pk])).status_code == 404
    answer = c.post(reverse("service:request", args=[theirs.pk]), {"answer": "好"})
    assert answer.status_code == 404
    assert c.post(reverse("service:request_close", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert (theirs.status, theirs.answer) == ("open", "")
    assert c.get("/service/requests/99999999999/").status_code == 404


def test_portal_logins_and_visitors_stay_out_of_the_staff_pages(company, portal):
    req = file(portal.consumer_user, portal.consumer, channel="portal")
    c = login(portal.consumer_user)
    for url in (
        reverse("service:requests"),
        reverse("service:request", args=[req.pk]),
        reverse("service:questions"),
    ):
        page = c.get(url)  # members are kept in the member centre
        assert page.status_code == 302 and page["Location"] == reverse("portal:home")
    visitor = login(company.rep)
    visitor.logout()
    assert visitor.get(reverse("service:requests")).status_code == 302


def test_an_agent_answers_and_bad_answers_are_field_errors(company, portal):
    req = file(portal.consumer_user, portal.consumer, channel="portal")
    c = login(company.agent)
    url = reverse("service:request", args=[req.pk])
    page = c.get(url)
    assert page.status_code == 200 and "Save the answer" in page.content.decode()
    empty = c.post(url, {"answer": "  "})
    assert empty.status_code == 200 and "This field is required" in empty.content.decode()
    long = c.post(url, {"answer": "好" * 4001})
    assert long.status_code == 200 and "4000" in long.content.decode()
    done = c.post(url, {"answer": "已为您查询，明天送达。"})
    assert done.status_code == 302 and done["Location"] == url
    req.refresh_from_db()
    assert (req.status, req.answered_by) == ("answered", company.agent)
    assert "已为您查询" in c.get(url).content.decode()
    c.post(reverse("service:request_close", args=[req.pk]))
    late = c.post(url, {"answer": "再补充一点"})
    assert late.status_code == 200 and "This request is closed." in late.content.decode()
    req.refresh_from_db()
    assert (req.status, req.answer) == ("closed", "已为您查询，明天送达。")


def test_who_may_only_read_sees_no_answer_form(company, portal):
    req = file(company.agent, portal.consumer)
    c = login(company.analyst)
    page = c.get(reverse("service:request", args=[req.pk]))
    assert page.status_code == 200 and "Save the answer" not in page.content.decode()
    assert c.post(reverse("service:request", args=[req.pk]), {"answer": "x"}).status_code == 403
    c.post(reverse("service:request_close", args=[req.pk]))
    req.refresh_from_db()
    assert req.status == "open"


def test_the_question_bank_page_lists_and_searches(company, bank):
    c = login(company.rep)
    page = c.get(reverse("service:questions")).content.decode()
    assert "积分会过期吗？" in page and "内部：退货审批流程" in page  # staff see drafts too
    found = c.get(reverse("service:questions"), {"q": "退货"}).content.decode()
    assert "产品可以退货吗？" in found and "积分会过期吗？" not in found
    none = c.get(reverse("service:questions"), {"q": "火星"}).content.decode()
    assert "No question matches." in none


def test_the_timeline_shows_requests_newest_first_and_pages(company, portal):
    now = timezone.now()
    reqs = [
        file(
            company.agent,
            portal.consumer,
            subject=f"问题{i}",
            now=now - datetime.timedelta(hours=i),
        )
        for i in range(3)
    ]
    page = login(company.rep).get(reverse("customers:detail", args=[portal.consumer.pk]))
    assert page.status_code == 200 and "问题0" in page.content.decode()
    seen, cursor = [], None
    while True:
        entries, cursor = timeline.timeline_page(
            portal.consumer, company.rep, cursor=cursor, limit=1
        )
        seen.extend(e for e in entries if e.category == "service")
        if cursor is None:
            break
    assert [e.key for e in seen] == [timeline.entry_key("service", r.pk) for r in reqs]
    assert "Open" in seen[0].title and seen[0].detail["url"].endswith(f"/{reqs[0].pk}/")


def test_the_menu_offers_the_service_pages_to_staff(company):
    page = login(company.agent).get(reverse("service:requests")).content.decode()
    assert f'href="{reverse("service:requests")}"' in page
    assert ServiceRequest.objects.count() == 0
