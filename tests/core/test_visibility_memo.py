"""can() inside rights_remembered answers repeated questions from memory, and only there."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from guanxi.core.visibility import Action, can, rights_remembered
from tests.factories import PartyFactory


def test_repeated_questions_cost_one_query_inside_and_each_outside(company):
    party = PartyFactory(owner=company.rep)
    with CaptureQueriesContext(connection) as outside:
        assert can(company.rep, Action.CHANGE, party)
        assert can(company.rep, Action.CHANGE, party)
    with rights_remembered(), CaptureQueriesContext(connection) as inside:
        assert can(company.rep, Action.CHANGE, party)
        assert can(company.rep, Action.CHANGE, party)
        assert not can(company.far_rep, Action.CHANGE, party)  # another user is asked anew
    assert len(outside) == 2
    assert len(inside) == 2


def test_answers_are_forgotten_when_the_page_is_built(company):
    party = PartyFactory(owner=company.rep)
    with rights_remembered():
        assert not can(company.far_rep, Action.VIEW, party)
    party.owner = company.far_rep
    party.save()
    assert can(company.far_rep, Action.VIEW, party)
