from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "commissioning.agreements"
    label = "agreements"
    verbose_name = "Commissioned services and agreements"
