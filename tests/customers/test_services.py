"""Services and selectors of the customer database."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from guanxi.customers import selectors, services
from guanxi.customers.duplicates import DuplicatePartyError
from guanxi.customers.models import ContactPoint, Interaction, Party
from guanxi.customers.services.consent import consents_in_force
from guanxi.customers.services.contacts import ContactSpec

MOBILE = ContactSpec(kind="mobile", value="138 0013 8000")


def make(company, name="张伟", contacts=(MOBILE,), actor=None, **fields):
    return services.party_create(
        actor=actor or company.rep, name=name, contact_points=list(contacts), **fields
    )


def test_create_normalises_contacts_and_sets_search_keys(company):
    party = make(
        company,
        contacts=[
            MOBILE,
            ContactSpec(kind="email", value="Zhang.Wei@Example.CN"),
            ContactSpec(
                kind="address",
                value="建国路 88 号",
                province="北京市",
                city="北京市",
                district="朝阳区",
            ),
        ],
        roles=["consumer", "distributor"],
        tags=["VIP", "VIP", "老客户"],
    )
    assert party.owner == company.rep
    assert (party.name_pinyin, party.name_initials) == ("zhangwei", "zw")
    values = dict(party.contact_points.values_list("kind", "normalized"))
    assert values["mobile"] == "+8613800138000"
    assert values["email"] == "zhang.wei@example.cn"
    assert values["address"] == "北京市北京市朝阳区建国路88号"
    assert sorted(party.role_list) == ["consumer", "distributor"]
    assert sorted(t.name for t in party.tags.all()) == ["VIP", "老客户"]


@pytest.mark.parametrize("other_mobile", ["13800138000", "+86 138-0013-8000", "8613800138000"])
def test_same_mobile_in_any_format_is_a_duplicate(company, other_mobile):
    first = make(company)
    with pytest.raises(DuplicatePartyError) as err:
        make(
            company,
            name="张三",
            actor=company.far_rep,
            contacts=[ContactSpec(kind="mobile", value=other_mobile)],
        )
    assert [m.party for m in err.value.matches] == [first]
    assert err.value.matches[0].party.owner == company.rep
    assert Party.objects.count() == 1


def test_same_email_is_a_duplicate(company):
    make(company, contacts=[ContactSpec(kind="email", value="a@b.cn")])
    with pytest.raises(DuplicatePartyError):
        make(company, name="别人", contacts=[ContactSpec(kind="email", value="A@B.CN")])


def test_same_name_at_same_address_is_a_duplicate_but_not_elsewhere(company):
    addr = dict(kind="address", province="上海市", city="上海市", district="浦东新区")
    make(company, name="王芳", contacts=[ContactSpec(value="世纪大道 100 号", **addr)])
    with pytest.raises(DuplicatePartyError):
        make(company, name="王 芳", contacts=[ContactSpec(value="世纪大道100号", **addr)])
    make(company, name="王芳", contacts=[ContactSpec(value="世纪大道 200 号", **addr)])
    make(company, name="王小芳", contacts=[ContactSpec(value="世纪大道 100 号", **addr)])
    assert Party.objects.count() == 3


def test_only_managers_may_insist_on_a_duplicate(company):
    make(company)
    with pytest.raises(DuplicatePartyError):
        make(company, name="张伟", actor=company.teammate, allow_duplicate=True)
    make(company, name="张伟", actor=company.manager, allow_duplicate=True)
    assert Party.objects.count() == 2


def test_editing_a_contact_into_a_duplicate_is_refused(company):
    make(company)
    other = make(company, name="李四", contacts=[ContactSpec(kind="mobile", value="13900000000")])
    cp = other.contact_points.get()
    with pytest.raises(DuplicatePartyError):
        services.contact_point_update(actor=company.rep, contact_point=cp, spec=MOBILE)
    with pytest.raises(DuplicatePartyError):
        services.contact_point_add(actor=company.rep, party=other, spec=MOBILE)
    cp.refresh_from_db()
    assert cp.normalized == "+8613900000000"


def test_renaming_onto_a_namesake_at_the_same_address_is_refused(company):
    addr = ContactSpec(kind="address", value="人民路1号", province="浙江省", city="杭州市")
    make(company, name="赵敏", contacts=[addr])
    other = make(company, name="赵小敏", contacts=[addr])
    with pytest.raises(DuplicatePartyError):
        services.party_update(actor=company.rep, party=other, name="赵敏")


@pytest.mark.parametrize(
    ("spec", "field"),
    [
        (ContactSpec(kind="mobile", value="12345"), "value"),
        (ContactSpec(kind="mobile", value="010-65529988"), "value"),
        (ContactSpec(kind="email", value="nope"), "value"),
        (ContactSpec(kind="wechat", value="一二三"), "value"),
        (ContactSpec(kind="pager", value="1"), "kind"),
    ],
)
def test_bad_contacts_give_field_errors_and_save_nothing(company, spec, field):
    with pytest.raises(ValidationError) as err:
        make(company, contacts=[spec])
    assert f"contact_points.0.{field}" in err.value.message_dict
    assert not Party.objects.exists()


def test_bad_profile_fields_give_field_errors(company):
    with pytest.raises(ValidationError) as err:
        make(company, name="", lifecycle_stage="bogus", acquisition_cost=-1)
    assert {"name", "lifecycle_stage", "acquisition_cost"} <= set(err.value.message_dict)


def test_owner_cannot_be_changed_by_update(company, records):
    with pytest.raises(ValidationError):
        services.party_update(actor=company.rep, party=records["own"], owner=company.teammate)


@pytest.mark.parametrize(
    "query",
    [
        "zhangwei",
        "zw",
        "ZW",
        "zhang wei",
        "张伟",
        "张",
        "13800138000",
        "138 0013 8000",
        "+8613800138000",
    ],
)
def test_search_finds_by_pinyin_initials_name_and_phone(company, query):
    party = make(company)
    make(company, name="李娜", contacts=[ContactSpec(kind="mobile", value="13900001111")])
    hits = list(selectors.party_queryset(user=company.rep, filters=selectors.PartyFilters(q=query)))
    assert hits == [party]


def test_search_by_email_and_partial_phone(company):
    party = make(company, contacts=[MOBILE, ContactSpec(kind="email", value="zw@qq.com")])
    for query in ["ZW@qq.com", "1380013"]:
        found = selectors.party_queryset(user=company.rep, filters=selectors.PartyFilters(q=query))
        assert list(found) == [party]


def test_keyset_pages_cover_everything_once(company):
    made = [make(company, name=f"客户{i}", contacts=[]) for i in range(7)]
    seen, after = [], None
    while True:
        page = selectors.party_page(
            user=company.rep, filters=selectors.PartyFilters(), after_id=after, limit=3
        )
        seen.extend(page.rows)
        after = page.next_after
        if after is None:
            break
    assert [p.pk for p in seen] == sorted((p.pk for p in made), reverse=True)


def test_first_page_counts_up_to_the_cap(company, monkeypatch):
    for i in range(5):
        make(company, name=f"客户{i}", contacts=[])
    page = selectors.party_page(user=company.rep, filters=selectors.PartyFilters(), limit=2)
    assert (page.count, page.count_capped) == (5, False)
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    page = selectors.party_page(user=company.rep, filters=selectors.PartyFilters(), limit=2)
    assert (page.count, page.count_capped) == (3, True)
    later = selectors.party_page(
        user=company.rep, filters=selectors.PartyFilters(), after_id=page.next_after, limit=2
    )
    assert later.count is None


def test_consent_history_keeps_every_decision(company, records):
    party = records["own"]
    services.consent_record(
        actor=company.rep, party=party, channel="sms", status="granted", method="web_form"
    )
    services.consent_record(
        actor=company.rep,
        party=party,
        channel="sms",
        status="withdrawn",
        method="sms_reply",
        note="回复TD退订",
    )
    assert consents_in_force(party)["sms"].status == "withdrawn"
    assert party.consents.count() == 2
    with pytest.raises(ValidationError):
        services.consent_record(
            actor=company.rep, party=party, channel="fax", status="x", method="y"
        )


def test_logging_an_activity_closes_earlier_follow_ups(company, records):
    party = records["own"]
    today = timezone.localdate()
    first = services.interaction_log(
        actor=company.rep, party=party, kind="call", outcome="call_back", follow_up_on=today
    )
    assert selectors.follow_ups_due(user=company.rep)["today"] == [first]
    services.interaction_log(actor=company.rep, party=party, kind="visit", subject="上门")
    first.refresh_from_db()
    assert first.follow_up_done_at is not None
    assert selectors.follow_ups_due(user=company.rep)["today"] == []


def test_follow_up_list_groups_overdue_today_upcoming(company, records):
    party = records["own"]
    now = timezone.now()
    today = timezone.localdate()
    old = services.interaction_log(
        actor=company.rep,
        party=party,
        kind="call",
        occurred_at=now - datetime.timedelta(days=10),
        follow_up_on=today - datetime.timedelta(days=2),
    )
    other = records["teammate"]
    soon = services.interaction_log(
        actor=company.teammate,
        party=other,
        kind="call",
        follow_up_on=today + datetime.timedelta(days=3),
    )
    groups = selectors.follow_ups_due(user=company.rep)
    assert groups["overdue"] == [old]
    assert selectors.follow_ups_due(user=company.teammate)["upcoming"] == [soon]
    assert soon not in groups["upcoming"]


def test_follow_ups_move_with_the_customer_on_transfer(company, records):
    party = records["own"]
    services.interaction_log(
        actor=company.rep, party=party, kind="call", follow_up_on=timezone.localdate()
    )
    services.parties_transfer(
        actor=company.manager, from_user=company.rep, to_user=company.teammate
    )
    assert len(selectors.follow_ups_due(user=company.teammate)["today"]) == 1


def test_activity_validation(company, records):
    party = records["own"]
    with pytest.raises(ValidationError):
        services.interaction_log(actor=company.rep, party=party, kind="telepathy")
    with pytest.raises(ValidationError):
        services.interaction_log(
            actor=company.rep,
            party=party,
            kind="call",
            occurred_at=timezone.now() + datetime.timedelta(days=1),
        )
    with pytest.raises(PermissionDenied):
        services.interaction_log(actor=company.rep, party=records["other_region"], kind="call")
    assert not Interaction.objects.exists()


def test_transfer_moves_only_the_departing_reps_customers(company, records):
    extra = make(company, name="新客户", contacts=[])
    moved = services.parties_transfer(
        actor=company.manager, from_user=company.rep, to_user=company.rep_b
    )
    assert moved == 2
    assert set(Party.objects.filter(owner=company.rep_b)) == {records["own"], extra}
    assert records["teammate"].owner == company.teammate
    # A rerun (e.g. after the job was killed) has nothing left to do.
    assert (
        services.parties_transfer(
            actor=company.manager, from_user=company.rep, to_user=company.rep_b
        )
        == 0
    )


def test_transfer_rights(company, records):
    with pytest.raises(PermissionDenied):
        services.parties_transfer(
            actor=company.rep, from_user=company.rep, to_user=company.teammate
        )
    with pytest.raises(ValidationError):  # the south rep is outside the east manager's tree
        services.parties_transfer(
            actor=company.manager, from_user=company.rep, to_user=company.far_rep
        )
    assert (
        services.parties_transfer(
            actor=company.admin, from_user=company.rep, to_user=company.far_rep
        )
        == 1
    )


def test_contact_point_remove_is_refused_without_change_right(company, records):
    cp = ContactPoint.objects.create(
        party=records["own"], kind="mobile", value="+8613700000000", normalized="+8613700000000"
    )
    with pytest.raises(PermissionDenied):
        services.contact_point_remove(actor=company.agent, contact_point=cp)
    services.contact_point_remove(actor=company.rep, contact_point=cp)
    assert not ContactPoint.objects.exists()


@pytest.mark.parametrize("query", ["zh", "z", "zw", "zhangw", "13800", "张"])
def test_first_page_fast_path_agrees_with_the_general_query(company, query):
    """Admins' searches read the search's own ids; the result must be the same rows."""
    names = ["张伟", "张薇", "赵文", "周伟", "张卫国", "朱伟", "张 伟", "Zhang Wei"]
    for i, name in enumerate(names * 3):
        make(
            company,
            name=name,
            actor=company.manager,
            allow_duplicate=True,
            contacts=[ContactSpec(kind="mobile", value=f"1380013{i:04d}")],
        )
    criteria = selectors.PartyFilters(q=query)
    expected = list(
        selectors.party_queryset(user=company.admin, filters=criteria).values_list("pk", flat=True)
    )
    page = selectors.party_page(user=company.admin, filters=criteria, limit=5)
    assert [p.pk for p in page.rows] == expected[:5]
    assert page.count == len(expected)
    later = (
        selectors.party_page(
            user=company.admin, filters=criteria, limit=5, after_id=page.next_after
        )
        if page.next_after
        else None
    )
    if later:
        assert [p.pk for p in later.rows] == expected[5:10]
