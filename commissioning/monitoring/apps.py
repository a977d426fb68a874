from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "commissioning.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring"

    def ready(self):
        # A large Procurement Act contract is signed only with its KPIs in place (issue 11, point 6).
        from commissioning.agreements.services.agreements import ACTIVATION_CHECKS
        from commissioning.monitoring.review_services import activation_check

        if activation_check not in ACTIVATION_CHECKS:
            ACTIVATION_CHECKS.append(activation_check)
        from commissioning.core import panels
        from commissioning.monitoring.panels import service_panel

        panels.register("agreements.service_detail", service_panel, order=10)
