"""The `guanxi` console commands."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from guanxi.core.models import AuditEvent
from guanxi.customers.models import ContactPoint, ImportBatch, Interaction, Party


def test_token_command_issues_a_working_key(company):
    out = StringIO()
    call_command("token", "rep", "--name", "ERP", stdout=out)
    key = out.getvalue().strip()
    assert key.startswith("gx_")
    response = Client(headers={"Authorization": f"Bearer {key}"}).get("/api/v1/me")
    assert response.json()["username"] == "rep"
    with pytest.raises(CommandError):
        call_command("token", "nobody")


def test_seed_loads_searchable_customers_with_contacts(db):
    call_command("seed", customers=300, interactions=900, owners=5, stdout=StringIO())
    assert Party.objects.count() == 300
    assert ContactPoint.objects.filter(kind="mobile").count() == 300
    assert Interaction.objects.count() == 900
    party = Party.objects.order_by("?").first()
    assert party.name_pinyin and party.name_initials and party.owner_id
    assert AuditEvent.objects.filter(changes__seeded_customers=[None, 300]).exists()
    # A second run appends without clashing ids.
    call_command("seed", customers=10, owners=5, stdout=StringIO())
    assert Party.objects.count() == 310


def test_demo_command_loads_once(db, tmp_path, settings):
    settings.DATA_DIR = tmp_path
    out = StringIO()
    call_command("demo", customers=12, stdout=out)
    assert "guanxi-demo-2026" in out.getvalue()
    made = Party.objects.count()
    own = Party.objects.filter(  # the demo's customers, not its imports, network, leads, member
        import_records__isnull=True,
        distributor__isnull=True,
        leads__isnull=True,
        portal_user__isnull=True,
    ).distinct()
    assert 0 < own.count() <= 12
    # The demo network: 300 distributors, two committed months and this month's preview.
    from guanxi.network.models import CommissionRun, Distributor

    assert Distributor.objects.count() == 300
    assert list(CommissionRun.objects.values_list("status", flat=True)) == [
        "preview",
        "committed",
        "committed",
    ]
    assert CommissionRun.objects.filter(adjustments__lt=0).count() == 1  # the late return
    # The demo's purchased list was imported: matches, new customers, bad rows.
    batch = ImportBatch.objects.get()
    assert batch.counts["matched"] > 0 and batch.counts["created"] > 0
    assert batch.counts["error"] == 3
    assert (tmp_path / "demo" / "2026春季展会名单.csv").exists()
    call_command("demo", customers=12, stdout=StringIO())
    assert Party.objects.count() == made


def test_openapi_command_writes_the_contract(tmp_path):
    target = tmp_path / "openapi.json"
    call_command("openapi", "--output", str(target))
    assert '"/api/v1/parties"' in target.read_text(encoding="utf-8")
