from django.apps import AppConfig


def record_last_login(sender, user, **kwargs):
    """Django's own update_last_login saves the user, which writes a history row ("changed") at every sign-in;
    the activity log is for changes people make, so the time of sign-in is written without one."""
    from django.utils import timezone

    type(user).objects.filter(pk=user.pk).update(last_login=timezone.now())


class AccountsConfig(AppConfig):
    name = "commissioning.accounts"
    label = "accounts"

    def ready(self):
        from django.contrib.auth.models import update_last_login
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(record_last_login, dispatch_uid="record_last_login")
