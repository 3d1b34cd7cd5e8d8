"""Organisation pages: the tree, staff management by admins, read-only for managers."""

from guanxi.core.models import AuditEvent, OrgUnit, User
from tests.conftest import login


def test_admin_sees_the_whole_tree_and_adds_a_department(company):
    client = login(company.admin)
    html = client.get("/organisation/").content.decode()
    for name in ["华东大区", "天河组", "far_rep", "south_agent"]:
        assert name in html
    response = client.post(
        "/organisation/",
        {
            "add_unit": "1",
            "unit-name": "静安三组",
            "unit-code": "team-d",
            "unit-parent": company.team_a.parent_id,
        },
    )
    assert response.status_code == 302
    unit = OrgUnit.objects.get(code="team-d")
    assert unit.path.startswith(company.east.path)


def test_duplicate_department_code_is_a_form_error(company):
    response = login(company.admin).post(
        "/organisation/", {"add_unit": "1", "unit-name": "重复", "unit-code": "team-a"}
    )
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()


def test_manager_sees_only_their_subtree_and_cannot_add(company):
    client = login(company.manager)
    html = client.get("/organisation/").content.decode()
    assert "浦东一组" in html and "天河组" not in html and "far_rep" not in html
    response = client.post(
        "/organisation/", {"add_unit": "1", "unit-name": "x", "unit-code": "x-1"}
    )
    assert response.status_code == 403
    assert client.get("/organisation/staff/new/").status_code == 403


def test_reps_cannot_open_the_organisation(company):
    assert login(company.rep).get("/organisation/").status_code == 403


def test_admin_adds_and_deactivates_staff_with_audit(company):
    client = login(company.admin)
    response = client.post(
        "/organisation/staff/new/",
        {
            "username": "newrep",
            "display_name": "新销售",
            "role": "sales_rep",
            "org_unit": company.team_a.pk,
            "password": "Guanxi-Strong-2026",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="newrep")
    assert user.check_password("Guanxi-Strong-2026")
    weak = client.post(
        "/organisation/staff/new/",
        {
            "username": "weak",
            "display_name": "弱",
            "role": "sales_rep",
            "org_unit": company.team_a.pk,
            "password": "123",
        },
    )
    assert weak.status_code == 200 and not User.objects.filter(username="weak").exists()
    client.post(
        f"/organisation/staff/{user.pk}/",
        {"display_name": "新销售", "role": "sales_rep", "org_unit": company.team_b.pk},
    )
    user.refresh_from_db()
    assert not user.is_active and user.org_unit == company.team_b
    event = AuditEvent.objects.filter(
        object_type="core.user", object_id=str(user.pk), action="update"
    ).get()
    assert event.changes["is_active"] == [True, False]


def test_superusers_are_administrators(db):
    user = User.objects.create_superuser("root", "root@example.cn", "Guanxi-Strong-2026")
    assert user.role == "admin"


def test_admin_site_is_read_only_for_audited_records(company):
    from django.test import Client

    root = User.objects.create_superuser("root", "root@example.cn", "Guanxi-Strong-2026")
    client = Client()
    client.force_login(root)
    assert client.get("/admin/core/auditevent/").status_code == 200
    assert client.get("/admin/customers/party/").status_code == 200
    assert client.get("/admin/core/orgunit/add/").status_code == 403
    assert client.get("/admin/customers/party/add/").status_code == 403


def test_manager_without_a_department_sees_only_themselves(company):
    from guanxi.core.visibility import org_units_in_scope, staff_in_scope
    from tests.factories import UserFactory

    loose = UserFactory(username="loose_mgr", role="manager", org_unit=None)
    assert list(staff_in_scope(loose)) == [loose]
    assert not org_units_in_scope(loose).exists()
    html = login(loose).get("/organisation/").content.decode()
    assert "far_rep" not in html and "浦东一组" not in html
