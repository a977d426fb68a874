from django.apps import AppConfig


class ProcurementConfig(AppConfig):
    name = "commissioning.procurement"
    label = "procurement"
    verbose_name = "Procurement"
