import base64

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login

from commissioning.accounts import selectors, services
from commissioning.accounts.forms import (
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    SignInForm,
    TokenForm,
    UserEditForm,
    UserInviteForm,
)
from commissioning.accounts.models import User
from commissioning.accounts.roles import Role
from commissioning.core.history import history_for
from commissioning.core.shortcuts import list_page, require_perm, save_form
from commissioning.core.throttle import throttled, wait_text


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        messages.success(self.request, "Your password has been changed")
        return super().form_valid(form)


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = PasswordResetForm
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        """Throttled per network address and per e-mail address (the same answer for any address, so it says
        nothing about which have accounts)."""
        if throttled(self.request, "password_reset", email=form.cleaned_data["email"]):
            form.add_error(
                None, f"There have been too many requests to reset a password. Wait {wait_text()} and try again"
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


def _safe_next(request, default="home:index"):
    target = request.GET.get("next") or request.POST.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


@login_required
def profile(request):
    has_device = any(True for _ in devices_for_user(request.user, confirmed=True))
    return render(request, "accounts/profile.html", {"has_device": has_device})


@login_required
def two_factor_setup(request):
    device = services.totp_device_for_setup(user=request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.totp_device_confirm(user=request.user, device=device, token=form.cleaned_data["token"])
        except ValidationError as exc:
            form.add_error("token", exc.message_dict["token"])
        else:
            otp_login(request, device)
            messages.success(request, "Your authenticator app is set up")
            return redirect(_safe_next(request))
    qr_svg = segno.make(device.config_url, error="m").svg_data_uri(scale=4, border=2)
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {"form": form, "qr_svg": qr_svg, "secret": secret, "next": _safe_next(request, "")},
    )


@login_required
def two_factor_verify(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is None:
            form.add_error("token", "The security code is wrong or has expired. Enter the code now shown in your app")
        else:
            otp_login(request, device)
            return redirect(_safe_next(request))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _safe_next(request, "")})


@login_required
def user_list(request):
    require_perm(request, "accounts.manage_users")
    search, role = request.GET.get("q", "").strip(), request.GET.get("role", "")
    people = selectors.user_list(search=search, role=role)
    return list_page(request, "accounts/user_list.html", people, search=search, role=role, roles=Role.choices)


@login_required
def user_invite(request):
    require_perm(request, "accounts.manage_users")
    form = UserInviteForm(request.POST or None)
    person = save_form(
        request,
        form,
        lambda data: services.user_invite(actor=request.user, **data),
        "{result.display_name} has been invited. They will get an e-mail to set a password.",
    )
    if person:
        return redirect("accounts:user_detail", pk=person.pk)
    return render(request, "accounts/user_invite.html", {"form": form})


@login_required
def user_detail(request, pk):
    require_perm(request, "accounts.manage_users")
    person = get_object_or_404(User.objects.select_related("organisation", "invited_by"), pk=pk)
    return render(request, "accounts/user_detail.html", {"person": person, "entries": history_for(person)})


@login_required
def user_edit(request, pk):
    require_perm(request, "accounts.manage_users")
    person = get_object_or_404(User, pk=pk)
    initial = {
        "display_name": person.display_name,
        "job_title": person.job_title,
        "role": person.role,
        "organisation": person.organisation,
        "is_active": person.is_active,
    }
    form = UserEditForm(request.POST or None, initial=initial)
    if save_form(
        request,
        form,
        lambda data: services.user_update(actor=request.user, user=person, **data),
        "{result.display_name}'s details have been updated",
    ):
        return redirect("accounts:user_detail", pk=person.pk)
    return render(request, "accounts/user_edit.html", {"form": form, "person": person})
