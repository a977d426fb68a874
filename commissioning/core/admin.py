from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from commissioning.core.models import OpccSettings

admin.site.register(OpccSettings, SimpleHistoryAdmin)
