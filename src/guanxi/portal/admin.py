from django.contrib import admin

from guanxi.portal.models import Course, Lesson


class LessonInline(admin.StackedInline):
    model = Lesson
    extra = 0


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "is_published", "position"]
    inlines = [LessonInline]
