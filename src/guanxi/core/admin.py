from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from guanxi.core.models import AuditEvent, Job, OrgUnit, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "role", "org_unit", "kind", "is_active"]
    list_filter = ["role", "kind", "is_active", "org_unit"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("Guanxi", {"fields": ["display_name", "kind", "role", "org_unit", "mobile", "language"]}),
    ]


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records whose writes must go through the audited services, not the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OrgUnit)
class OrgUnitAdmin(ReadOnlyAdmin):
    """Departments are added and moved on the Organisation page (paths kept by services)."""

    list_display = ["name", "code", "parent", "path"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["occurred_at", "actor_repr", "action", "object_type", "object_id", "request_id"]
    list_filter = ["action", "object_type"]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "progress", "total", "created_at"]
