"""The service demo data: a searchable question bank and a few requests, loaded once."""

from guanxi.service.demo import QUESTIONS, demo_load
from guanxi.service.models import Question, ServiceRequest
from guanxi.service.services import question_search
from tests.factories import PartyFactory


def test_demo_load_fills_the_bank_and_files_requests_once(company):
    for _ in range(3):
        PartyFactory(owner=company.rep)
    company.agent.username = "agent"
    company.agent.save()
    assert demo_load() == {"questions": len(QUESTIONS), "requests": 3}
    assert demo_load() == {"questions": 0, "requests": 0}
    assert Question.objects.count() == len(QUESTIONS) >= 12
    assert ServiceRequest.objects.filter(status="answered").count() == 1
    assert set(ServiceRequest.objects.values_list("created_by", flat=True)) == {company.agent.pk}
    for word in ("退货", "积分", "发票", "配送", "直销员", "注册"):
        assert question_search(q=word, limit=5), word
