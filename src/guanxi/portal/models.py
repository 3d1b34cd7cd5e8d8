"""Training for distributors (远程营销培训课程): courses, lessons, enrolment, completion."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Course(models.Model):
    """A training course offered to distributors in the portal."""

    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return self.title


class Lesson(models.Model):
    """One lesson of a course: text, and optionally a video file or link on the intranet."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("content"))
    video_url = models.URLField(_("video link"), blank=True)
    minutes = models.PositiveSmallIntegerField(_("minutes"), default=10)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["course", "position", "id"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def __str__(self) -> str:
        return self.title


class Enrolment(models.Model):
    """A login taking a course; completed when every lesson is done."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrolments")
    enrolled_at = models.DateTimeField(_("enrolled"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        ordering = ["-enrolled_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="enrol_once_per_course")
        ]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")

    def __str__(self) -> str:
        return f"{self.user_id} · {self.course_id}"


class LessonCompletion(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="done")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(_("completed"), auto_now_add=True)

    class Meta:
        ordering = ["enrolment", "completed_at"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "lesson"], name="lesson_done_once")
        ]
        verbose_name = _("completed lesson")
        verbose_name_plural = _("completed lessons")

    def __str__(self) -> str:
        return f"{self.enrolment_id} · {self.lesson_id}"
