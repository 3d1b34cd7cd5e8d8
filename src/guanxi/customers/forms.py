"""Web forms. They only shape input; the services hold the rules."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanxi.core.choices import UserKind
from guanxi.core.models import User
from guanxi.customers.choices import (
    Channel,
    ConsentMethod,
    ConsentStatus,
    ContactKind,
    Gender,
    InteractionKind,
    LifecycleStage,
    Outcome,
    PartyKind,
    PartyRoleKind,
    Source,
)


def _blank(choices, label) -> list[tuple[str, str]]:
    return [("", label), *[(v, lbl) for v, lbl in choices if v]]


class PartyFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "placeholder": _("Name, pinyin, initials, phone or email"),
                "autofocus": True,
                "type": "search",
            }
        ),
    )
    lifecycle_stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=_blank(LifecycleStage.choices, _("All stages"))
    )
    source = forms.ChoiceField(
        label=_("Source"), required=False, choices=_blank(Source.choices, _("All sources"))
    )
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=_blank(PartyRoleKind.choices, _("All roles"))
    )
    tag = forms.CharField(label=_("Tag"), required=False, max_length=50)
    mine = forms.BooleanField(label=_("Only mine"), required=False)


class PartyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=PartyKind.choices, initial=PartyKind.PERSON)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, required=False)
    birthday = forms.DateField(
        label=_("Birthday"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=PartyRoleKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    lifecycle_stage = forms.ChoiceField(
        label=_("Lifecycle stage"), choices=LifecycleStage.choices, initial=LifecycleStage.PROSPECT
    )
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices, initial=Source.OTHER)
    source_detail = forms.CharField(label=_("Source detail"), max_length=200, required=False)
    acquisition_cost = forms.DecimalField(
        label=_("Acquisition cost (CNY)"), min_value=0, max_digits=12, decimal_places=2, initial=0
    )
    tags = forms.CharField(
        label=_("Tags"), required=False, max_length=500, help_text=_("Separate tags with commas")
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_tags(self) -> list[str]:
        raw = self.cleaned_data["tags"].replace("，", ",")
        return [t.strip() for t in raw.split(",") if t.strip()]


class NewPartyContactsForm(forms.Form):
    """Contact points entered together with a new customer."""

    mobile = forms.CharField(label=_("Mobile"), max_length=40, required=False)
    email = forms.CharField(label=_("Email"), max_length=254, required=False)
    wechat = forms.CharField(label=_("WeChat ID"), max_length=40, required=False)
    province = forms.CharField(label=_("Province"), max_length=50, required=False)
    city = forms.CharField(label=_("City"), max_length=50, required=False)
    district = forms.CharField(label=_("District"), max_length=50, required=False)
    address = forms.CharField(label=_("Street address"), max_length=300, required=False)


class ContactPointForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=ContactKind.choices)
    value = forms.CharField(label=_("Value"), max_length=300)
    label = forms.CharField(label=_("Label"), max_length=50, required=False)
    is_primary = forms.BooleanField(label=_("Primary"), required=False)
    province = forms.CharField(label=_("Province"), max_length=50, required=False)
    city = forms.CharField(label=_("City"), max_length=50, required=False)
    district = forms.CharField(label=_("District"), max_length=50, required=False)


class InteractionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type"), choices=InteractionKind.choices, initial=InteractionKind.CALL
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, required=False)
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    body = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    follow_up_on = forms.DateField(
        label=_("Next follow-up"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_follow_up_on(self):
        value = self.cleaned_data["follow_up_on"]
        if value and value < timezone.localdate():
            raise forms.ValidationError(_("The next follow-up cannot be in the past."))
        return value


class ConsentForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    status = forms.ChoiceField(label=_("Decision"), choices=ConsentStatus.choices)
    method = forms.ChoiceField(label=_("How"), choices=ConsentMethod.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


def staff_choices():
    return User.objects.filter(kind=UserKind.STAFF, is_active=True).select_related("org_unit")


class ShareForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Share with"), queryset=User.objects.none())
    can_edit = forms.BooleanField(label=_("May edit"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = staff_choices()


class TransferForm(forms.Form):
    from_user = forms.ModelChoiceField(
        label=_("From (departing rep)"), queryset=User.objects.none()
    )
    to_user = forms.ModelChoiceField(label=_("To"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_user"].queryset = User.objects.filter(kind=UserKind.STAFF)
        self.fields["to_user"].queryset = staff_choices()

    def clean(self):
        data = super().clean()
        if data.get("from_user") and data.get("from_user") == data.get("to_user"):
            self.add_error("to_user", _("Choose a different person."))
        return data


class ReassignForm(forms.Form):
    to_user = forms.ModelChoiceField(label=_("New owner"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_user"].queryset = staff_choices()


COLUMN_LABELS = {
    "external_id": _("External ID"),
    "name": _("Name"),
    "mobile": _("Mobile"),
    "phone": _("Landline"),
    "email": _("Email"),
    "wechat": _("WeChat ID"),
    "province": _("Province"),
    "city": _("City"),
    "district": _("District"),
    "address": _("Street address"),
    "birthday": _("Birthday"),
    "gender": _("Gender"),
    "source": _("Source"),
    "tags": _("Tags"),
}


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8 or GB18030/GBK) or Excel .xlsx, with a header row."),
    )
    source_name = forms.CharField(
        label=_("Source"),
        max_length=200,
        required=False,
        help_text=_("Name of the list or channel, e.g. 2026春季DM名单 (default: the file name)."),
    )
    cost = forms.DecimalField(
        label=_("Acquisition cost per new customer (CNY)"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        initial=0,
    )
    owner = forms.ChoiceField(
        label=_("New customers go to"),
        choices=[("pool", _("the public pool")), ("me", _("me"))],
        initial="pool",
    )


class ImportMappingForm(forms.Form):
    """One select per column of the file: which standard column it holds."""

    dry_run = forms.BooleanField(
        label=_("Dry run: match and report, write nothing"), required=False
    )

    def __init__(self, *args, header: list[str], initial_mapping: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— ignore —")), *COLUMN_LABELS.items()]
        self.header = header
        for index, title in enumerate(header):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=title or _("(column %(n)s)") % {"n": index + 1},
                choices=choices,
                required=False,
                initial=initial_mapping.get(index, ""),
            )

    def column_fields(self):
        return [self[f"col_{i}"] for i in range(len(self.header))]

    def clean(self):
        data = super().clean()
        mapping: dict[int, str] = {}
        seen: dict[str, int] = {}
        for index in range(len(self.header)):
            column = data.get(f"col_{index}")
            if not column:
                continue
            if column in seen:
                self.add_error(
                    f"col_{index}",
                    _("%(column)s is already taken by another column.")
                    % {"column": COLUMN_LABELS[column]},
                )
            seen[column] = index
            mapping[index] = column
        if "name" not in seen:
            raise forms.ValidationError(_("Choose the column that holds the name."))
        data["mapping"] = mapping
        return data
