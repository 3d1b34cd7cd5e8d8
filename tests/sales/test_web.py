"""Sales pages: the pool with masked contacts and a claim button, my claims with their
deadlines, leads; and two reps claiming over HTTP at the same instant (PostgreSQL)."""

import threading
import urllib.request

import pytest
from django.db import connection
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.urls import reverse

from guanxi.core.choices import Role
from guanxi.customers.models import Party
from guanxi.sales.models import AssignmentRule, Claim, Lead
from tests.factories import ContactPointFactory, PartyFactory, UserFactory


def login(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_the_pool_masks_contacts_and_a_claim_makes_it_mine(company):
    party = PartyFactory(name="池中客", owner=None)
    ContactPointFactory(party=party, kind="mobile", value="+8613812345678")
    c = login(company.rep)
    page = c.get(reverse("sales:pool")).content.decode()
    assert "池中客" in page and "+86138****5678" in page and "13812345678" not in page
    done = c.post(reverse("sales:claim", args=[party.pk]))
    assert done["Location"] == reverse("customers:detail", args=[party.pk])
    party.refresh_from_db()
    assert party.owner == company.rep
    assert "池中客" in c.get(reverse("sales:claims")).content.decode()
    again = login(company.teammate).post(reverse("sales:claim", args=[party.pk]))
    assert again.status_code == 404  # no longer in the pool
    claim = Claim.objects.get()
    c.post(reverse("sales:release", args=[claim.pk]))
    party.refresh_from_db()
    assert party.owner is None


def test_who_sees_the_pool(company):
    assert login(company.analyst).get(reverse("sales:pool")).status_code == 403
    assert login(company.manager).get(reverse("sales:pool")).status_code == 200


def test_a_lead_form_shows_the_existing_owner(company):
    known = PartyFactory(name="周杰", owner=company.rep_b)
    ContactPointFactory(
        party=known, kind="mobile", value="+8613912345678", normalized="+8613912345678"
    )
    AssignmentRule.objects.create(name="A组", team=company.team_a)
    c = login(company.agent)
    form = {"name": "周杰", "mobile": "13912345678", "source": "call_in"}
    page = c.post(reverse("sales:leads"), form, follow=True).content.decode()
    assert "customer of" in page and str(company.rep_b) in page
    fresh = c.post(
        reverse("sales:leads"), {**form, "name": "吴新", "mobile": "13900000077"}, follow=True
    ).content.decode()
    assert "assigned to" in fresh
    assert Lead.objects.count() == 2 and Party.objects.get(name="吴新").owner == company.rep
    bad = c.post(reverse("sales:leads"), {"name": "无号码", "source": "call_in"})
    assert bad.status_code == 200 and "Give a mobile" in bad.content.decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel writers need PostgreSQL")
def test_parallel_claim_requests_have_exactly_one_winner(company, live_server):
    from django.contrib.sessions.backends.db import SessionStore

    party = PartyFactory(owner=None)
    reps = [UserFactory(role=Role.SALES_REP, org_unit=company.team_a) for _ in range(6)]
    cookies = []
    for rep in reps:
        session = SessionStore()
        session["_auth_user_id"] = str(rep.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = rep.get_session_auth_hash()
        session.create()
        cookies.append((session.session_key, _get_new_csrf_string()))
    start, statuses = threading.Barrier(len(reps)), []
    url = live_server.url + reverse("sales:claim", args=[party.pk])

    def claim(session_key, token):
        request = urllib.request.Request(
            url,
            data=b"",
            method="POST",
            headers={
                "Cookie": f"sessionid={session_key}; csrftoken={token}",
                "X-CSRFToken": token,
                "Referer": live_server.url + "/sales/pool/",
            },
        )
        opener = urllib.request.build_opener(NoRedirect)
        start.wait()
        try:
            with opener.open(request, timeout=30) as response:
                statuses.append(response.headers.get("Location"))
        except urllib.error.HTTPError as exc:
            statuses.append(exc.headers.get("Location") or exc.code)

    threads = [threading.Thread(target=claim, args=pair) for pair in cookies]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    won = [s for s in statuses if s == reverse("customers:detail", args=[party.pk])]
    assert len(won) == 1, statuses
    assert Claim.objects.filter(party=party, ended_at__isnull=True).count() == 1
    owner = Party.objects.get(pk=party.pk).owner_id
    assert owner in {r.pk for r in reps}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
