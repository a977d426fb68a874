from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from commissioning.accounts.models import User


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin):
    list_display = ["display_name", "email", "role", "organisation", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["display_name", "email"]
    exclude = ["password", "user_permissions", "groups"]
    readonly_fields = ["last_login", "date_joined"]
