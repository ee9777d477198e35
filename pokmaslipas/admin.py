from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from bapas.data_version import OfficeDataAdminMixin
from pokmaslipas.models import Agreement, Partner


@admin.register(Partner)
class PartnerAdmin(OfficeDataAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "code", "office", "kind", "is_active"]
    list_filter = ["office", "kind", "is_active"]
    search_fields = ["name", "code", "contact_person"]


@admin.register(Agreement)
class AgreementAdmin(OfficeDataAdminMixin, SimpleHistoryAdmin):
    list_display = ["number", "partner", "office", "kind", "start_date", "end_date", "terminated_on"]
    list_filter = ["office", "kind"]
    search_fields = ["number", "partner_number", "title", "partner__name"]
    raw_id_fields = ["partner", "renews", "terminated_by"]
    date_hierarchy = "end_date"
