"""Uniform API test base classes (in the NetBox manner).

A test class names its resource, how to make a record owned by a given user, a valid
payload and an invalid one; it inherits the whole set: auth required, list and detail
follow visibility, create answers 201 and writes an audit row, bad input answers 422
with field messages, and other people's records are 404.
"""

import pytest

from guanxi.core.models import AuditEvent
from tests.conftest import api_client


class ApiResourceTests:
    list_url: str  # may contain {party}
    detail_url: str | None = None  # contains {pk}
    create_url: str | None = None
    invalid_field: str = ""

    def make(self, company, owner):
        raise NotImplementedError

    def valid_payload(self, company) -> dict:
        raise NotImplementedError

    def invalid_payload(self, company) -> dict:
        raise NotImplementedError

    def url(self, template, company, obj=None, party=None):
        return template.format(pk=getattr(obj, "pk", ""), party=getattr(party, "pk", ""))

    def own_party(self, company):
        from tests.factories import PartyFactory

        return PartyFactory(owner=company.rep)

    def test_requires_authentication(self, client, company):
        party = self.own_party(company)
        assert client.get(self.url(self.list_url, company, party=party)).status_code == 401

    def test_bad_token_is_rejected(self, client, company):
        party = self.own_party(company)
        response = client.get(
            self.url(self.list_url, company, party=party),
            headers={"Authorization": "Bearer gx_wrong"},
        )
        assert response.status_code == 401

    def test_list_is_visibility_filtered(self, company):
        party = self.own_party(company)
        mine = self.make(company, company.rep, party)
        response = api_client(company.rep).get(self.url(self.list_url, company, party=party))
        assert response.status_code == 200
        ids = [row["id"] for row in response.json()["items"]]
        assert mine.pk in ids

    def test_other_peoples_records_are_not_found(self, company):
        from tests.factories import PartyFactory

        foreign_party = PartyFactory(owner=company.far_rep)
        foreign = self.make(company, company.far_rep, foreign_party)
        client = api_client(company.rep)
        target = self.detail_url or self.list_url
        url = self.url(target, company, obj=foreign, party=foreign_party)
        assert client.get(url).status_code == 404

    def test_create_answers_201_and_is_audited(self, company):
        if not self.create_url:
            pytest.skip("read-only resource")
        party = self.own_party(company)
        before = AuditEvent.objects.count()
        response = api_client(company.rep).post(
            self.url(self.create_url, company, party=party),
            self.valid_payload(company),
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
        assert AuditEvent.objects.count() > before

    def test_invalid_input_answers_422_with_field_messages(self, company):
        if not self.create_url:
            pytest.skip("read-only resource")
        party = self.own_party(company)
        response = api_client(company.rep).post(
            self.url(self.create_url, company, party=party),
            self.invalid_payload(company),
            content_type="application/json",
        )
        assert response.status_code == 422, response.content
        body = response.json()
        assert self.invalid_field in str(body)

    def test_malformed_json_is_a_4xx(self, company):
        if not self.create_url:
            pytest.skip("read-only resource")
        party = self.own_party(company)
        response = api_client(company.rep).post(
            self.url(self.create_url, company, party=party),
            "{not json",
            content_type="application/json",
        )
        assert 400 <= response.status_code < 500
