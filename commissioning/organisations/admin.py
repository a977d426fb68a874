"""Configuration tables only. Organisations, boards and activities change through the service pages,
where every change is permission-checked and audited (services.py)."""

from django.contrib import admin

from commissioning.organisations.models import AreaOfInterest


@admin.register(AreaOfInterest)
class AreaOfInterestAdmin(admin.ModelAdmin):
    search_fields = ["name"]
