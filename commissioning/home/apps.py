from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The signed-in home page: each role's own work first, gathered from the apps' selectors."""

    name = "commissioning.home"
    label = "home"
    verbose_name = "Home"
