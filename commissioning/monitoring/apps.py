from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "commissioning.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring"

    def ready(self):
        from commissioning.core import panels
        from commissioning.monitoring.panels import service_panel

        panels.register("agreements.service_detail", service_panel, order=10)
