from django.contrib import admin

from guanxi.customers.models import Party


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    """Read-only in the admin: writes go through the audited services and the web UI."""

    list_display = ["name", "lifecycle_stage", "source", "owner", "created_at"]
    search_fields = ["name", "name_pinyin"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
