from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "commissioning.reporting"
    label = "reporting"
    verbose_name = "Reporting"
