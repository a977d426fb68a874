from django.contrib.auth import views as auth_views
from django.http import HttpResponse


class SignInView(auth_views.LoginView):
    pass


class SignOutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    pass


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    pass


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    pass


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    pass


def profile(request):
    return HttpResponse("")


two_factor_setup = two_factor_verify = user_list = user_invite = user_detail = user_edit = profile
