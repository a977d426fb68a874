from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from commissioning.core.models import OpccSettings, ProcurementRegimeStart

admin.site.register(OpccSettings, SimpleHistoryAdmin)
admin.site.register(ProcurementRegimeStart, SimpleHistoryAdmin)
