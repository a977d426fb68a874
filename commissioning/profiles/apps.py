from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    """Loads an OPCC's profile (plan, funds, partners, thresholds, KPIs) into every app: stands above them all."""

    name = "commissioning.profiles"
    label = "profiles"
    verbose_name = "OPCC profiles"
