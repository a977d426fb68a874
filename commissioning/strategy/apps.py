from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "commissioning.strategy"
    label = "strategy"
