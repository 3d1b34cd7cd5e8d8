from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from guanxi.core.models import AuditEvent, Job, OrgUnit, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "role", "org_unit", "kind", "is_active"]
    list_filter = ["role", "kind", "is_active", "org_unit"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("Guanxi", {"fields": ["display_name", "kind", "role", "org_unit", "mobile"]}),
    ]


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "parent", "path"]
    readonly_fields = ["path", "depth"]

    # Paths are kept by services.org: add and change departments on the Organisation page.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "actor_repr", "action", "object_type", "object_id", "request_id"]
    list_filter = ["action", "object_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "progress", "total", "created_at"]
