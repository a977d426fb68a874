from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from commissioning.core.models import OpccSettings, ProcurementRegimeStart, PublicationThreshold

admin.site.register(OpccSettings, SimpleHistoryAdmin)
admin.site.register(ProcurementRegimeStart, SimpleHistoryAdmin)
admin.site.register(PublicationThreshold, SimpleHistoryAdmin)
