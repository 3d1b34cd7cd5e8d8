"""Forms of follow-up discipline: plan, complete and cancel a task; write a work report;
comment on one. They parse input only; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guanxi.customers.choices import Outcome
from guanxi.sales.choices import ReportKind, TaskKind, TaskPriority

REMIND_CHOICES = [
    ("", _("Default")),
    ("0", _("When due")),
    ("15", _("15 minutes before")),
    ("60", _("1 hour before")),
    ("1440", _("1 day before")),
    ("-1", _("No email")),
]


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=TaskKind.choices, initial=TaskKind.CALL)
    priority = forms.ChoiceField(
        label=_("Priority"), choices=TaskPriority.choices, initial=TaskPriority.NORMAL
    )
    due_at = forms.DateTimeField(
        label=_("Due"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    remind_before = forms.TypedChoiceField(
        label=_("Email reminder"),
        choices=REMIND_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    assignee = forms.ModelChoiceField(
        label=_("Assigned to"), queryset=None, required=False, empty_label=_("Myself")
    )

    def __init__(self, *args, assignees=None, **kwargs):
        # Its own ids: the 360 page shows this form beside the interaction form (both have
        # a "kind"), and ids must stay unique on a page.
        kwargs.setdefault("auto_id", "task_%s")
        super().__init__(*args, **kwargs)
        if assignees is None:
            del self.fields["assignee"]
        else:
            self.fields["assignee"].queryset = assignees


class TaskCompleteForm(forms.Form):
    outcome = forms.CharField(label=pgettext_lazy("task", "Outcome"), max_length=500)
    activity_outcome = forms.ChoiceField(label=_("Result"), choices=Outcome.choices, required=False)
    log_activity = forms.BooleanField(
        label=_("Log it on the customer's timeline"), required=False, initial=True
    )


class TaskCancelForm(forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=500)


class TaskRescheduleForm(forms.Form):
    due_at = forms.DateTimeField(
        label=_("New due time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class WorkReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=ReportKind.choices)
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    done = forms.CharField(
        label=_("What was done"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    plan = forms.CharField(
        label=_("Plan for next"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    problems = forms.CharField(
        label=_("Problems and help needed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=pgettext_lazy("work report", "Comment"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
