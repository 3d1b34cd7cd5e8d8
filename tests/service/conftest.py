"""Fixtures: portal logins (a consumer and a distributor) and a question bank."""

from dataclasses import dataclass

import pytest
from django.utils import translation

from guanxi.core.choices import UserKind
from guanxi.service.models import Question
from tests.factories import PartyFactory, UserFactory


@dataclass
class Portal:
    consumer: object  # a Party owned by the rep, with a consumer login
    consumer_user: object
    neighbour: object  # another Party of the rep, with a consumer login
    neighbour_user: object
    ibo: object  # a Party with a distributor login
    ibo_user: object


def portal_user(party, kind=UserKind.CONSUMER):
    return UserFactory(username=f"portal-{party.pk}", kind=kind, party=party, org_unit=None)


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the product's default language is zh-hans)."""
    with translation.override("en"):
        yield


@pytest.fixture
def portal(company) -> Portal:
    consumer = PartyFactory(name="王芳", owner=company.rep)
    neighbour = PartyFactory(name="刘洋", owner=company.rep)
    ibo = PartyFactory(name="陈静", owner=company.far_rep)
    return Portal(
        consumer=consumer,
        consumer_user=portal_user(consumer),
        neighbour=neighbour,
        neighbour_user=portal_user(neighbour),
        ibo=ibo,
        ibo_user=portal_user(ibo, UserKind.DISTRIBUTOR),
    )


@pytest.fixture
def bank(db) -> list[Question]:
    rows = [
        ("产品可以退货吗？", "购买 30 天内未开封的产品可以退货，7 天内退款。", "退款 未开封", 20),
        ("积分会过期吗？", "积分 24 个月内有效。", "有效期", 10),
        ("怎样成为直销员？", "经培训考试合格并取得直销员证。", "经销商", 30),
        ("内部：退货审批流程", "仅限员工。", "退货", 5),
    ]
    questions = [
        Question.objects.create(question=q, answer=a, keywords=k, position=p) for q, a, k, p in rows
    ]
    questions[-1].is_published = False
    questions[-1].save()
    return questions
