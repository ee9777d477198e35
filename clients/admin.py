from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from bapas.data_version import OfficeDataAdminMixin
from clients import services
from clients.models import Client, PKAssignment, ReportingVisit, ReportingWarning, StatusChange


class PKAssignmentInline(admin.TabularInline):
    model = PKAssignment
    extra = 0
    raw_id_fields = ["officer", "assigned_by"]


@admin.register(Client)
class ClientAdmin(OfficeDataAdminMixin, SimpleHistoryAdmin):
    list_display = ["register_number", "name", "office", "programme", "status", "officer", "programme_end"]
    list_filter = ["office", "status", "programme", "reporting_frequency", "is_archived"]
    search_fields = ["name", "register_number", "nik"]
    raw_id_fields = ["officer"]
    inlines = [PKAssignmentInline]
    show_full_result_count = False

    def has_delete_permission(self, request, obj=None):
        return False  # clients are archived, never deleted


@admin.register(ReportingVisit)
class ReportingVisitAdmin(OfficeDataAdminMixin, SimpleHistoryAdmin):
    list_display = ["client", "reported_at", "mode", "received_by"]
    list_filter = ["office", "mode"]
    raw_id_fields = ["client", "received_by", "created_by"]
    date_hierarchy = "report_date"
    show_full_result_count = False

    def moves_figures(self, obj, *, change):
        return change or services.visit_moves_closed_period(obj)


@admin.register(ReportingWarning)
class ReportingWarningAdmin(OfficeDataAdminMixin, SimpleHistoryAdmin):
    office_lookup = "client__office_id"
    list_display = ["client", "level", "issued_on"]
    list_filter = ["level"]
    raw_id_fields = ["client", "issued_by"]


@admin.register(StatusChange)
class StatusChangeAdmin(SimpleHistoryAdmin):
    list_display = ["client", "status", "date"]
    list_filter = ["status"]
    raw_id_fields = ["client", "recorded_by"]
