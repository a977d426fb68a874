from django.apps import AppConfig


class DemoConfig(AppConfig):
    """setup_demo and generate_data: realistic data made through every app's services; stands above them all."""

    name = "commissioning.demo"
    label = "demo"
    verbose_name = "Demo and generated data"
