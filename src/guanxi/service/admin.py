"""The question bank is edited here; service requests change only through the services."""

from django.contrib import admin

from guanxi.service.models import Question


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["question", "category", "position", "is_published", "updated_at"]
    list_editable = ["position", "is_published"]
    list_filter = ["category", "is_published"]
    search_fields = ["question", "answer", "keywords"]
    ordering = ["position", "id"]
