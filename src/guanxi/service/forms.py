"""Forms of the staff pages. They only parse input; services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from guanxi.service.constants import ANSWER_MAX


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"),
        max_length=ANSWER_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
