from django.apps import AppConfig


class TransparencyConfig(AppConfig):
    name = "commissioning.transparency"
    label = "transparency"
    verbose_name = "Transparency"
