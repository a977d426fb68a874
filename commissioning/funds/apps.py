from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "commissioning.funds"
    label = "funds"
    verbose_name = "Funds"
