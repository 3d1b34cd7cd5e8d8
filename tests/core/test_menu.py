"""The staff menu (core/menu.py): which entries each role gets, which entry and group the
current page lights up, the badges on entries, groups and the phone's button, and that
only staff pages draw it."""

import datetime

from django.utils import timezone

from guanxi.core.menu import menu_for
from guanxi.sales.services.followup import task_create
from tests.conftest import login
from tests.factories import PartyFactory


def _urls(menu) -> dict[str, list[str]]:
    return {g.key: [e.url for e in g.entries] for g in menu}


def test_each_role_gets_the_entries_it_may_open(company):
    rep = _urls(menu_for(company.rep))
    assert "/sales/pool/" in rep["sales"] and "/sales/team/day/" not in rep["sales"]
    assert rep["customers"] == ["/customers/", "/customers/follow-ups/", "/customers/review/"]
    assert "admin" not in rep and "/network/runs/" not in rep["network"]
    manager = _urls(menu_for(company.manager))
    assert "/sales/team/day/" in manager["sales"] and manager["admin"] == ["/organisation/"]
    assert (
        "/customers/imports/" in manager["customers"] and "/network/runs/" not in manager["network"]
    )
    assert "/network/runs/" in _urls(menu_for(company.admin))["network"]
    analyst = _urls(menu_for(company.analyst))
    assert "/network/health/" in analyst["network"] and "/sales/pool/" not in analyst["sales"]
    assert analyst["customers"] == ["/customers/", "/customers/follow-ups/"]
    assert "/customers/imports/" in _urls(menu_for(company.marketer))["customers"]
    assert "/commerce/fulfilment/" not in _urls(menu_for(company.agent))["commerce"]


def test_the_most_specific_page_pattern_marks_one_entry_and_its_group(company):
    def active(view_name, user=company.manager):
        menu = menu_for(user, view_name)
        return [(g.key, e.url) for g in menu for e in g.entries if e.active], [
            g.key for g in menu if g.active
        ]

    assert active("customers:import_detail") == (
        [("customers", "/customers/imports/")],
        ["customers"],
    )
    assert active("customers:detail") == ([("customers", "/customers/")], ["customers"])
    assert active("sales:work_report") == ([("sales", "/sales/tasks/")], ["sales"])
    statement = ("network", "/network/runs/")
    assert active("network:statement_pdf", company.admin) == ([statement], ["network"])
    # A manager has no commission runs entry: the group's catch-all entry takes the page.
    assert active("network:statement_pdf") == ([("network", "/network/")], ["network"])
    assert active("commerce:return_decide") == (
        [("commerce", "/commerce/fulfilment/")],
        ["commerce"],
    )
    assert active("core:tokens") == ([], [])


def test_badges_add_up_on_the_group_and_the_phone_button(company):
    party = PartyFactory(owner=company.rep)
    due = timezone.now() - datetime.timedelta(hours=1)
    for title in ("回访", "送样品"):
        task_create(actor=company.rep, party=party, title=title, due_at=due)
    menu = menu_for(company.rep)
    sales = next(g for g in menu if g.key == "sales")
    assert [e.badge for e in sales.entries if e.url == "/sales/tasks/"] == [2]
    assert sales.badge == 2 and menu.badge == 2
    page = login(company.rep).get("/customers/").content.decode()
    assert page.count('<span class="badge overdue">2</span>') == 3  # entry, group, ☰


def test_the_page_shell_draws_the_menu_for_staff_only(company, django_assert_max_num_queries):
    page = login(company.agent).get("/customers/").content.decode()
    assert 'data-group="service"' in page and 'href="/service/requests/"' in page
    assert 'href="/organisation/"' not in page and 'data-group="admin"' not in page
    # An htmx partial does not extend the shell, so it does not pay for the badges.
    client = login(company.rep)
    with django_assert_max_num_queries(6) as partial:
        client.get("/customers/", {"q": "x"}, HTTP_HX_REQUEST="true")
    assert not any("sales_followuptask" in q["sql"] for q in partial.captured_queries)
