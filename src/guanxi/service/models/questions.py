from django.db import models
from django.utils.translation import gettext_lazy as _

from guanxi.service.choices import QuestionCategory


class Question(models.Model):
    """An approved question and its answer in the question bank (标准问题库), edited in
    the admin and searchable in Chinese by customers and agents."""

    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer"))
    category = models.CharField(
        _("category"), max_length=20, choices=QuestionCategory, default=QuestionCategory.OTHER
    )
    keywords = models.CharField(
        _("keywords"),
        max_length=300,
        blank=True,
        help_text=_("Other words customers use for this question, separated by spaces."),
    )
    is_published = models.BooleanField(_("published"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("question bank")

    def __str__(self) -> str:
        return self.question
