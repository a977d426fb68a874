from django import forms
from django.contrib.auth import forms as auth_forms
from django.urls import reverse
from django.utils.functional import lazy

from commissioning.accounts.models import User
from commissioning.accounts.roles import ORGANISATION_ROLES, Role
from commissioning.core.forms import GovukErrorMessagesMixin, GovukForm, SearchChoiceField


class SignInForm(GovukErrorMessagesMixin, auth_forms.AuthenticationForm):
    username = forms.EmailField(
        label="E-mail address", widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )
    password = forms.CharField(
        label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    error_messages = {
        "invalid_login": "Enter a correct e-mail address and password. Both are case-sensitive.",
        "inactive": "This account has been closed. Ask your system administrator.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your e-mail address"
        self.fields["username"].error_messages["invalid"] = "Enter an e-mail address like name@example.org"
        self.fields["password"].error_messages["required"] = "Enter your password"

    def clean_username(self):
        return self.cleaned_data["username"].lower()


class TokenForm(GovukForm):
    token = forms.CharField(
        label="Security code",
        help_text="The 6-digit code shown in your authenticator app",
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "class": "govuk-input--width-5"}
        ),
        error_messages={
            "required": "Enter the 6-digit security code",
            "min_length": "Enter the 6-digit security code",
            "max_length": "Enter the 6-digit security code",
        },
    )

    def clean_token(self):
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError("The security code must be 6 numbers")
        return token


class UserForm(GovukForm):
    """Shared fields for inviting and editing a person."""

    display_name = forms.CharField(
        label="Full name", max_length=150, error_messages={"required": "Enter the person's full name"}
    )
    job_title = forms.CharField(label="Job title", max_length=150, required=False)
    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the person's role"},
    )
    organisation = SearchChoiceField(
        label="Organisation",
        # A user belongs to an organisation through a lazy foreign key: accounts stands below organisations.
        queryset=User.organisation.field.related_model.objects.filter(is_active=True),
        search_url=lazy(lambda: f"{reverse('organisations:search')}?scope=active", str)(),
        noun="organisation",
        required=False,
        help_text="Required for partners, providers and applicants: they see only their organisation's records. "
        "Leave blank for OPCC staff",
    )

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if role in ORGANISATION_ROLES and not cleaned.get("organisation"):
            self.add_error("organisation", f"Select the organisation this {Role(role).label.lower()} acts for")
        return cleaned


class UserInviteForm(UserForm):
    email = forms.EmailField(
        label="E-mail address",
        error_messages={
            "required": "Enter the person's e-mail address",
            "invalid": "Enter an e-mail address like name@example.org",
        },
    )
    field_order = ["email", "display_name", "job_title", "role", "organisation"]


class UserEditForm(UserForm):
    is_active = forms.BooleanField(
        label="Account is active",
        required=False,
        help_text="Untick to close the account: the person can no longer sign in",
    )
    reason = forms.CharField(
        label="Reason for the change",
        max_length=200,
        error_messages={"required": "Enter the reason for the change"},
        help_text="Kept in the history, for example 'moved to the finance team'",
    )


# Django's own password forms, with GOV.UK messages (the password validators' messages name the password already).
PASSWORD_MISMATCH = "Enter the same new password twice: the two passwords do not match"


class PasswordResetForm(GovukErrorMessagesMixin, auth_forms.PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.label = "E-mail address"
        email.error_messages["required"] = "Enter the e-mail address you sign in with"
        email.error_messages["invalid"] = "Enter an e-mail address like name@example.org"


class SetPasswordForm(GovukErrorMessagesMixin, auth_forms.SetPasswordForm):
    error_messages = {**auth_forms.SetPasswordForm.error_messages, "password_mismatch": PASSWORD_MISMATCH}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again to confirm it"


class PasswordChangeForm(SetPasswordForm, auth_forms.PasswordChangeForm):
    error_messages = {
        **SetPasswordForm.error_messages,
        "password_incorrect": "Your current password is not right: enter it again",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["old_password"].error_messages["required"] = "Enter your current password"
