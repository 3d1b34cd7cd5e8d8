"""The contract pages: drawing one up with its plan, recording and reversing collections,
attachments served only to those who may see the contract, the overdue list, the 360
page's panel and timeline."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from guanxi.sales.choices import ContractStatus
from guanxi.sales.models import ApprovalPolicy, Contract, ContractAttachment
from tests.sales.contract_helpers import TODAY, active_contract, won_deal

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def plan_post(rows, **fields):
    data = {
        "plan-TOTAL_FORMS": str(len(rows) + 1),
        "plan-INITIAL_FORMS": "0",
        "plan-MIN_NUM_FORMS": "0",
        "plan-MAX_NUM_FORMS": "120",
        **fields,
    }
    for n, (due, amount) in enumerate(rows):
        data[f"plan-{n}-due_on"] = due.isoformat()
        data[f"plan-{n}-amount"] = amount
    return data


def test_draw_up_with_a_three_instalment_plan_and_submit(company):
    ApprovalPolicy.objects.create(kind="contract", threshold=Decimal("100000"))
    deal = won_deal(company.rep, amount="9000.00")
    client = client_for(company.rep)
    page = client.get(f"/sales/opportunities/{deal.pk}/contract/")
    assert page.status_code == 200 and "9000" in page.content.decode()
    rows = [(TODAY + datetime.timedelta(days=30 * i), "3000.00") for i in range(3)]
    bad = client.post(
        f"/sales/opportunities/{deal.pk}/contract/",
        plan_post(rows[:2], title="年度采购合同", amount="9000.00", signed_on=TODAY.isoformat()),
    )
    assert bad.status_code == 200 and "add up to" in bad.content.decode()
    made = client.post(
        f"/sales/opportunities/{deal.pk}/contract/",
        plan_post(rows, title="年度采购合同", amount="9000.00", signed_on=TODAY.isoformat()),
    )
    contract = Contract.objects.get(opportunity=deal)
    assert made.status_code == 302 and made["Location"] == f"/sales/contracts/{contract.pk}/"
    assert contract.instalments.count() == 3
    client.post(f"/sales/contracts/{contract.pk}/submit/")
    contract.refresh_from_db()
    assert contract.status == ContractStatus.ACTIVE


def test_collections_on_the_page_and_their_errors(company):
    contract = active_contract(company.rep, "1000.00", "2000.00")
    client = client_for(company.rep)
    url = f"/sales/contracts/{contract.pk}/collections/"
    data = {"amount": "1500.00", "collected_on": TODAY.isoformat(), "method": "alipay"}
    assert client.post(url, data).status_code == 302
    too_much = client.post(url, {**data, "amount": "1500.01"})
    assert too_much.status_code == 422 and "outstanding" in too_much.content.decode()
    page = client.get(f"/sales/contracts/{contract.pk}/").content.decode()
    assert "Part paid" in page and "Paid" in page
    collection = contract.collections.get()
    denied = client.post(f"/sales/collections/{collection.pk}/reverse/", {"reason": "错"})
    assert denied.status_code == 302
    collection.refresh_from_db()
    assert collection.reversed_at is None  # reps do not reverse
    client_for(company.manager).post(
        f"/sales/collections/{collection.pk}/reverse/", {"reason": "录错金额"}
    )
    collection.refresh_from_db()
    assert collection.reverse_reason == "录错金额"


def test_attachments_only_for_those_who_see_the_contract(company):
    contract = active_contract(company.rep)
    client = client_for(company.rep)
    url = f"/sales/contracts/{contract.pk}/attachments/"
    client.post(url, {"file": SimpleUploadedFile("合同扫描件.pdf", PDF)})
    attachment = ContractAttachment.objects.get()
    got = client.get(f"/sales/contracts/attachments/{attachment.pk}/")
    assert got.status_code == 200 and b"".join(got.streaming_content) == PDF
    assert "attachment" in got["Content-Disposition"]
    stranger = client_for(company.far_rep)
    assert stranger.get(f"/sales/contracts/attachments/{attachment.pk}/").status_code == 404
    assert stranger.get(f"/sales/contracts/{contract.pk}/").status_code == 404
    # A disguised file and a wrong type are refused.
    client.post(url, {"file": SimpleUploadedFile("fake.pdf", b"MZ\x90\x00binary")})
    client.post(url, {"file": SimpleUploadedFile("run.exe", b"MZ\x90\x00")})
    assert ContractAttachment.objects.count() == 1


def test_attachments_are_not_under_the_public_media_root(company, settings):
    contract = active_contract(company.rep)
    client_for(company.rep).post(
        f"/sales/contracts/{contract.pk}/attachments/",
        {"file": SimpleUploadedFile("scan.pdf", PDF)},
    )
    path = ContractAttachment.objects.get().file.path
    assert not path.startswith(str(settings.MEDIA_ROOT))


def test_a_big_file_is_refused(company, settings):
    settings.GUANXI_ATTACHMENT_MAX_MB = 1
    contract = active_contract(company.rep)
    big = PDF + b"0" * (1024 * 1024)
    response = client_for(company.rep).post(
        f"/sales/contracts/{contract.pk}/attachments/",
        {"file": SimpleUploadedFile("big.pdf", big)},
        follow=True,
    )
    assert "at most 1 MB" in response.content.decode()
    assert ContractAttachment.objects.count() == 0


def test_overdue_page_and_the_360_panel_and_timeline(company):
    contract = active_contract(company.rep, "10000.00", "10000.00", "10000.00")
    client = client_for(company.rep)
    page = client.get("/sales/receivables/overdue/").content.decode()
    assert contract.number in page and "20,000.00" in page
    assert (
        contract.number
        not in client_for(company.far_rep).get("/sales/receivables/overdue/").content.decode()
    )
    party_page = client.get(f"/customers/{contract.party_id}/").content.decode()
    assert 'id="contracts-panel"' in party_page and contract.number in party_page
    from guanxi.customers.timeline import timeline_page

    entries, _cursor = timeline_page(contract.party, company.rep)
    assert any(e.category == "contract" for e in entries)


def test_the_list_offers_won_deals_without_a_contract(company):
    deal = won_deal(company.rep)
    page = client_for(company.rep).get("/sales/contracts/").content.decode()
    assert f"/sales/opportunities/{deal.pk}/contract/" in page
    assert (
        client_for(company.far_rep).get(f"/sales/opportunities/{deal.pk}/contract/").status_code
        == 404
    )


def test_a_draft_is_changed_on_its_page(company):
    from guanxi.sales.services.contracts import contract_create

    contract = contract_create(actor=company.rep, opportunity=won_deal(company.rep))
    client = client_for(company.rep)
    page = client.get(f"/sales/contracts/{contract.pk}/").content.decode()
    assert 'id="contract-edit"' in page
    url = f"/sales/contracts/{contract.pk}/edit/"
    bad = client.post(url, {"title": "", "amount": "100"})
    assert bad.status_code == 422
    ok = client.post(url, {"title": "年度框架合同", "amount": "25000.00", "terms": "月结"})
    assert ok.status_code == 302
    contract.refresh_from_db()
    assert (contract.title, contract.amount, contract.terms) == (
        "年度框架合同",
        Decimal("25000.00"),
        "月结",
    )
