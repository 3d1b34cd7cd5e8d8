"""WeChat (微信) as a kind of logged contact: the 360 form, the API and the timeline."""

from django.utils import translation

from guanxi.core.models import AuditEvent
from guanxi.customers.models import Interaction
from tests.conftest import api_client, login


def test_a_rep_logs_a_wechat_contact_from_the_360_page_and_the_timeline_names_it(company, records):
    party = records["own"]
    client = login(company.rep)
    form = client.get(f"/customers/{party.pk}/").content.decode()
    assert '<option value="wechat">' in form
    response = client.post(
        f"/customers/{party.pk}/log/",
        {"kind": "wechat", "outcome": "interested", "subject": "发了新品图片"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert Interaction.objects.get().kind == "wechat"
    with translation.override("zh-hans"):
        timeline = client.get(f"/customers/{party.pk}/timeline/").content.decode()
    assert "微信 · 发了新品图片" in timeline


def test_the_api_takes_and_filters_wechat_contacts_and_refuses_an_unknown_kind(company, records):
    client = api_client(company.rep)
    url = f"/api/v1/parties/{records['own'].pk}/interactions"
    made = client.post(
        url, {"kind": "wechat", "subject": "朋友圈互动"}, content_type="application/json"
    )
    assert made.status_code == 201 and made.json()["kind"] == "wechat"
    assert AuditEvent.objects.filter(object_id=str(made.json()["id"])).exists()
    client.post(url, {"kind": "call", "subject": "电话"}, content_type="application/json")
    feed = client.get("/api/v1/interactions", {"kind": "wechat"}).json()["items"]
    assert [row["subject"] for row in feed] == ["朋友圈互动"]
    bad = client.post(url, {"kind": "weixin"}, content_type="application/json")
    assert bad.status_code == 422 and "kind" in bad.content.decode()
    assert Interaction.objects.count() == 2


def test_a_wechat_contact_needs_the_right_to_log_on_the_customer(company, records):
    url = f"/api/v1/parties/{records['other_region'].pk}/interactions"
    far = api_client(company.rep).post(url, {"kind": "wechat"}, content_type="application/json")
    assert far.status_code == 404
    page = login(company.analyst).post(
        f"/customers/{records['own'].pk}/log/", {"kind": "wechat", "subject": "看看"}
    )
    assert page.status_code == 403, page.status_code
    assert not Interaction.objects.exists()
