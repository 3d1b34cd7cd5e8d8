"""Forms of the organisation pages (departments and staff)."""

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from guanxi.core.choices import Role
from guanxi.core.models import OrgUnit


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has one."""
    if not hasattr(exc, "error_dict"):
        for error in exc.messages:
            form.add_error(None, error)
        return
    for field, errors in exc.message_dict.items():
        target = field if field in form.fields else None
        for error in errors:
            form.add_error(target, error)


class OrgUnitForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    code = forms.SlugField(
        label=_("Code"), max_length=50, help_text=_("Letters, digits and hyphens, e.g. east-sh-01")
    )
    parent = forms.ModelChoiceField(
        label=_("Parent department"), queryset=OrgUnit.objects.all(), required=False
    )


class StaffUserForm(forms.Form):
    username = forms.RegexField(label=_("Username"), max_length=150, regex=r"^[\w.@+-]+$")
    display_name = forms.CharField(label=_("Display name"), max_length=100)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.SALES_REP)
    org_unit = forms.ModelChoiceField(label=_("Department"), queryset=OrgUnit.objects.all())
    email = forms.EmailField(label=_("Email"), required=False)
    mobile = forms.CharField(label=_("Mobile"), max_length=32, required=False)
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput, strip=False)

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password)
        return password


class StaffUserEditForm(forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=100)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    org_unit = forms.ModelChoiceField(label=_("Department"), queryset=OrgUnit.objects.all())
    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        required=False,
        help_text=_("Emails and reminders to this user are written in this language."),
    )
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        help_text=_("Untick when someone leaves; then transfer their customers."),
    )

    def clean(self):
        data = super().clean()
        if not data.get("language"):
            data.pop("language", None)  # left out: the user's language stays as it is
        return data
