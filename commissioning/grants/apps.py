from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "commissioning.grants"
    label = "grants"
    verbose_name = "Grants, one-off proposals and the Local Innovation Fund"
