from django.contrib import admin

from guanxi.core.admin import ReadOnlyAdmin
from guanxi.customers.models import Party


@admin.register(Party)
class PartyAdmin(ReadOnlyAdmin):
    """Read-only in the admin: writes go through the audited services and the web UI."""

    list_display = ["name", "lifecycle_stage", "source", "owner", "created_at"]
    search_fields = ["name", "name_pinyin"]
