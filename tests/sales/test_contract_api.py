"""The contracts API: the uniform resource tests, then the life of a contract through it
(plan, submit, approval, collections, reversal, overdue, attachments, targets)."""

import datetime
from decimal import Decimal

from guanxi.sales.models import ApprovalPolicy, Collection, Contract
from guanxi.sales.services.collections import collection_record
from guanxi.sales.services.contracts import contract_create
from tests.api_base import ApiResourceTests
from tests.conftest import api_client
from tests.sales.contract_helpers import TODAY, active_contract, plan, won_deal


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


class TestContractResource(ApiResourceTests):
    list_url = "/api/v1/contracts"
    detail_url = "/api/v1/contracts/{pk}"
    create_url = "/api/v1/contracts"
    invalid_field = "instalments"

    def make(self, company, owner, party=None):
        return contract_create(actor=owner, opportunity=won_deal(owner, party=party))

    def valid_payload(self, company):
        deal = won_deal(company.rep, amount="6000.00")
        return {
            "opportunity_id": deal.pk,
            "signed_on": TODAY.isoformat(),
            "instalments": [
                {"due_on": "2027-01-10", "amount": "2000.00"},
                {"due_on": "2027-02-10", "amount": "4000.00", "note": "尾款"},
            ],
        }

    def invalid_payload(self, company):
        data = self.valid_payload(company)
        data["instalments"] = data["instalments"][:1]  # does not add up
        return data


class TestCollectionResource(ApiResourceTests):
    list_url = "/api/v1/collections"
    create_url = "/api/v1/collections"
    invalid_field = "amount"

    def make(self, company, owner, party=None):
        contract = active_contract(owner, party=party)
        return collection_record(
            actor=owner,
            contract=contract,
            amount=Decimal(100),
            collected_on=TODAY,
            method="cash",
        )

    def url(self, template, company, obj=None, party=None):
        if obj is not None:  # another team's collection: its contract is not found
            return f"/api/v1/collections?contract_id={obj.contract_id}"
        return super().url(template, company, obj, party)

    def test_other_peoples_records_are_not_found(self, company):
        from tests.factories import PartyFactory

        foreign = self.make(company, company.far_rep, PartyFactory(owner=company.far_rep))
        rows = api_client(company.rep).get(self.url(self.list_url, company, obj=foreign))
        assert rows.json()["items"] == []
        reverse = post(
            api_client(company.manager),
            f"/api/v1/collections/{foreign.pk}/reverse",
            {"reason": "x"},
        )
        assert reverse.status_code == 404

    def valid_payload(self, company):
        contract = active_contract(company.rep)
        return {
            "contract_id": contract.pk,
            "amount": "1000.00",
            "collected_on": TODAY.isoformat(),
            "method": "wechat_pay",
        }

    def invalid_payload(self, company):
        return {**self.valid_payload(company), "amount": "999999.00"}


def test_a_contract_through_the_api(company):
    ApprovalPolicy.objects.create(kind="contract", threshold=Decimal("5000"))
    rep = api_client(company.rep)
    deal = won_deal(company.rep, amount="9000.00")
    made = post(rep, "/api/v1/contracts", {"opportunity_id": deal.pk, "title": "设备采购"})
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["amount"] == "9000.00" and body["status"] == "draft" and body["currency"] == "CNY"
    cid = body["id"]
    rows = [
        {"due_on": d.due_on.isoformat(), "amount": str(d.amount)}
        for d in plan("3000", "3000", "3000")
    ]
    planned = rep.put(
        f"/api/v1/contracts/{cid}/plan", {"instalments": rows}, content_type="application/json"
    )
    assert planned.status_code == 200 and len(planned.json()["instalments"]) == 3
    no_date = post(rep, f"/api/v1/contracts/{cid}/submit")
    assert no_date.status_code == 422 and "signed_on" in no_date.json()["errors"]
    Contract.objects.filter(pk=cid).update(signed_on=TODAY)
    submitted = post(rep, f"/api/v1/contracts/{cid}/submit")
    assert submitted.json()["status"] == "pending" and submitted.json()["approval_request_id"]
    locked = rep.put(
        f"/api/v1/contracts/{cid}/plan", {"instalments": rows[:1]}, content_type="application/json"
    )
    assert locked.status_code == 422 and "approval" in locked.json()["errors"]
    from guanxi.sales.models import ApprovalRequest
    from guanxi.sales.services.approvals import approval_decide

    approval_decide(
        actor=company.manager,
        request=ApprovalRequest.objects.get(pk=submitted.json()["approval_request_id"]),
        approve=True,
    )
    assert rep.get(f"/api/v1/contracts/{cid}").json()["status"] == "active"
    paid = post(
        rep,
        "/api/v1/collections",
        {"contract_id": cid, "amount": "4000.00", "collected_on": TODAY.isoformat(),
         "method": "bank_transfer", "reference": "招行 8899"},
    )  # fmt: skip
    assert paid.status_code == 201
    plan_now = rep.get(f"/api/v1/contracts/{cid}/plan").json()
    assert [(p["paid"], p["status"]) for p in plan_now] == [
        ("3000.00", "paid"),
        ("1000.00", "part_paid"),
        ("0.00", "open"),
    ]
    overdue = rep.get("/api/v1/receivables/overdue").json()["items"]
    assert [(o["contract_number"], o["position"], o["outstanding"]) for o in overdue] == [
        (body["number"], 2, "2000.00")
    ]
    assert overdue[0]["days_overdue"] == 30
    assert api_client(company.far_rep).get("/api/v1/receivables/overdue").json()["items"] == []
    collection_id = paid.json()["id"]
    assert (
        post(rep, f"/api/v1/collections/{collection_id}/reverse", {"reason": "x"}).status_code
        == 403
    )
    reversed_ = post(
        api_client(company.manager), f"/api/v1/collections/{collection_id}/reverse", {"reason": ""}
    )
    assert reversed_.status_code == 422 and "reason" in reversed_.json()["errors"]
    ok = post(
        api_client(company.manager),
        f"/api/v1/collections/{collection_id}/reverse",
        {"reason": "重复录入"},
    )
    assert ok.status_code == 200 and ok.json()["reversed_at"]
    assert Collection.objects.get(pk=collection_id).reverse_reason == "重复录入"
    assert rep.get(f"/api/v1/contracts/{cid}").json()["collected"] == "0.00"
    ended = post(rep, f"/api/v1/contracts/{cid}/terminate", {"reason": "客户取消"})
    assert ended.status_code == 200 and ended.json()["status"] == "terminated"


def test_attachments_through_the_api(company):
    contract = active_contract(company.rep)
    rep = api_client(company.rep)
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = f"/api/v1/contracts/{contract.pk}/attachments"
    made = rep.post(url, {"file": SimpleUploadedFile("scan.png", b"\x89PNG\r\n\x1a\nxxxx")})
    assert made.status_code == 201, made.content
    aid = made.json()["id"]
    got = rep.get(f"{url}/{aid}")
    assert got.status_code == 200 and b"".join(got.streaming_content).startswith(b"\x89PNG")
    assert api_client(company.far_rep).get(f"{url}/{aid}").status_code == 404
    bad = rep.post(url, {"file": SimpleUploadedFile("x.txt", b"hello")})
    assert bad.status_code == 422 and "file" in bad.json()["errors"]


def test_targets_read_through_the_api(company):
    from guanxi.sales.services.targets import target_set

    month = TODAY.replace(day=1)
    target_set(actor=company.manager, month=month, user=company.rep, revenue=Decimal(60000))
    active_contract(company.rep, "15000.00", "15000.00")  # signed 61 days ago
    mine = api_client(company.rep).get("/api/v1/targets").json()
    assert [r["id"] for r in mine["reps"]] == [company.rep.pk] and mine["teams"] == []
    assert mine["reps"][0]["revenue"]["target"] == "60000.00"
    last = (month - datetime.timedelta(days=1)).replace(day=1)
    bad = api_client(company.rep).get("/api/v1/targets?month=2026-13")
    assert bad.status_code == 422
    earlier = api_client(company.manager).get(f"/api/v1/targets?month={last:%Y-%m}").json()
    assert company.rep.pk in [r["id"] for r in earlier["reps"]]


def test_a_draft_is_changed_through_the_api_and_only_a_draft(company):
    contract = contract_create(actor=company.rep, opportunity=won_deal(company.rep))
    rep = api_client(company.rep)
    url = f"/api/v1/contracts/{contract.pk}"
    changed = rep.patch(url, {"amount": "28000.00", "title": "改后合同"}, "application/json")
    assert changed.status_code == 200, changed.content
    assert changed.json()["amount"] == "28000.00" and changed.json()["title"] == "改后合同"
    bad = rep.patch(url, {"ends_on": "2020-01-01", "starts_on": "2021-01-01"}, "application/json")
    assert bad.status_code == 422 and "ends_on" in bad.json()["errors"]
    foreign = api_client(company.far_rep).patch(url, {"title": "x"}, "application/json")
    assert foreign.status_code == 404
    live = active_contract(company.rep)
    done = rep.patch(f"/api/v1/contracts/{live.pk}", {"title": "x"}, "application/json")
    assert done.status_code == 422 and "status" in done.json()["errors"]
