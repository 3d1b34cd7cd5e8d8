"""Service requests: who may file, answer and close them, field errors, the audit trail;
and the question-bank search in Chinese."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from guanxi.commerce.models import Order
from guanxi.core.audit import history_for
from guanxi.service.models import ServiceRequest
from guanxi.service.services import (
    question_search,
    service_request_answer,
    service_request_close,
    service_request_create,
)
from tests.factories import PartyFactory


def file(actor, party, **extra):
    data = {"subject": "订单还没有收到", "body": "上周下的单，还没收到。", "channel": "phone"}
    return service_request_create(actor=actor, party=party, **{**data, **extra})


def errors_of(exc_info) -> dict:
    return exc_info.value.message_dict


def test_an_agent_files_a_request_and_the_customer_history_shows_it(company, portal):
    req = file(company.agent, portal.consumer)
    assert (req.status, req.channel, req.created_by) == ("open", "phone", company.agent)
    event = history_for(portal.consumer).get(object_type="service.servicerequest")
    assert event.action == "create" and event.changes["subject"] == [None, "订单还没有收到"]


def test_a_consumer_files_for_their_own_party_only(company, portal):
    mine = file(portal.consumer_user, portal.consumer, channel="portal")
    assert mine.party == portal.consumer and mine.created_by == portal.consumer_user
    with pytest.raises(PermissionDenied):
        file(portal.consumer_user, portal.neighbour, channel="portal")
    assert ServiceRequest.objects.filter(party=portal.neighbour).count() == 0


def test_a_portal_login_asks_through_the_portal_channel(portal):
    with pytest.raises(ValidationError) as exc:
        file(portal.consumer_user, portal.consumer, channel="phone")
    assert set(errors_of(exc)) == {"channel"}
    assert file(portal.ibo_user, portal.ibo, channel="portal").party == portal.ibo
    with pytest.raises(PermissionDenied):
        file(portal.ibo_user, portal.consumer, channel="portal")


def test_staff_need_the_right_to_log_on_the_customer(company, portal):
    file(company.rep, portal.consumer)  # the owner
    for outsider in (company.far_rep, company.south_agent, company.analyst, company.marketer):
        with pytest.raises(PermissionDenied):
            file(outsider, portal.consumer)
    assert ServiceRequest.objects.count() == 1


def test_bad_input_gives_field_errors_and_saves_nothing(company, portal):
    with pytest.raises(ValidationError) as exc:
        file(company.agent, portal.consumer, subject="   ", body="问" * 4001, channel="fax")
    errors = errors_of(exc)
    assert set(errors) == {"subject", "body", "channel"}
    assert "required" in errors["subject"][0] and "4000" in errors["body"][0]
    with pytest.raises(ValidationError) as exc:
        file(company.agent, portal.consumer, subject="a\x00b", body=None)
    assert set(errors_of(exc)) == {"subject", "body"}
    assert ServiceRequest.objects.count() == 0


def test_the_order_must_be_the_customers_own(company, portal):
    def order(party, number):
        return Order.objects.create(
            number=number, customer=party, channel="call_centre", placed_at=timezone.now()
        )

    with pytest.raises(ValidationError) as exc:
        file(company.agent, portal.consumer, order=order(portal.neighbour, "T-2"))
    assert set(errors_of(exc)) == {"order"}
    mine = order(portal.consumer, "T-1")
    assert file(company.agent, portal.consumer, order=mine).order == mine


def test_a_merged_record_takes_no_new_requests(company, portal):
    survivor = PartyFactory(owner=company.rep)
    portal.neighbour.merged_into = survivor
    portal.neighbour.save()
    with pytest.raises(ValidationError) as exc:
        file(company.agent, portal.neighbour)
    assert set(errors_of(exc)) == {"party"}


def test_staff_who_may_log_answer_and_the_answer_is_audited(company, portal):
    req = file(portal.consumer_user, portal.consumer, channel="portal")
    for outsider in (portal.consumer_user, company.far_rep, company.analyst):
        with pytest.raises(PermissionDenied):
            service_request_answer(actor=outsider, request=req, answer="好的")
    with pytest.raises(ValidationError) as exc:
        service_request_answer(actor=company.agent, request=req, answer=" ")
    assert set(errors_of(exc)) == {"answer"}
    req = service_request_answer(
        actor=company.agent, request=req, answer=" 已为您查询，明天送达。 "
    )
    assert (req.status, req.answer, req.answered_by) == (
        "answered",
        "已为您查询，明天送达。",
        company.agent,
    )
    assert req.answered_at is not None
    updates = history_for(portal.consumer).filter(action="update")
    assert updates.get().changes["status"] == ["open", "answered"]


def test_closing_by_staff_or_the_customer_and_a_closed_request_takes_no_answer(company, portal):
    req = file(portal.consumer_user, portal.consumer, channel="portal")
    with pytest.raises(PermissionDenied):
        service_request_close(actor=portal.neighbour_user, request=req)
    req = service_request_close(actor=portal.consumer_user, request=req)
    assert req.status == "closed" and req.closed_at is not None
    assert service_request_close(actor=company.agent, request=req).closed_at == req.closed_at
    with pytest.raises(ValidationError) as exc:
        service_request_answer(actor=company.agent, request=req, answer="晚了")
    assert set(errors_of(exc)) == {"status"}
    other = file(company.agent, portal.consumer)
    with pytest.raises(PermissionDenied):
        service_request_close(actor=company.far_rep, request=other)


def test_search_finds_a_two_character_word_in_published_questions_by_position(bank):
    found = list(question_search(q="退货", limit=10))
    assert [q.question for q in found] == ["产品可以退货吗？"]  # the unpublished one is hidden
    assert [q.question for q in question_search(q="有效期", limit=10)] == ["积分会过期吗？"]
    assert [q.question for q in question_search(q="退货 未开封", limit=10)] == ["产品可以退货吗？"]
    assert list(question_search(q="退货 过期", limit=10)) == []
    assert [q.position for q in question_search(q="", limit=10)] == [10, 20, 30]
    assert len(question_search(q="  ", limit=2)) == 2
    assert list(question_search(q="\x00退货", limit=0))[0].question == "产品可以退货吗？"
