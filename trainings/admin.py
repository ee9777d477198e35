from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from bapas.data_version import OfficeDataAdminMixin
from trainings.models import Attendance, Enrolment, FollowUp, TrainingSession, TrainingType


@admin.register(TrainingType)
class TrainingTypeAdmin(OfficeDataAdminMixin, admin.ModelAdmin):
    list_display = ["name", "category", "office"]
    list_filter = ["office", "category"]
    search_fields = ["name"]


@admin.register(TrainingSession)
class TrainingSessionAdmin(OfficeDataAdminMixin, SimpleHistoryAdmin):
    list_display = ["code", "title", "office", "start_date", "end_date", "status"]
    list_filter = ["office", "status", "method"]
    search_fields = ["code", "title"]
    raw_id_fields = ["training_type", "partner", "agreement", "repeat_of", "created_by"]
    date_hierarchy = "start_date"


@admin.register(Enrolment)
class EnrolmentAdmin(OfficeDataAdminMixin, SimpleHistoryAdmin):
    office_lookup = "session__office_id"
    list_display = ["session", "client", "status", "certificate_number"]
    list_filter = ["status", "session__office"]
    search_fields = ["client__name", "certificate_number", "session__code"]
    raw_id_fields = ["session", "client", "enrolled_by"]


@admin.register(Attendance)
class AttendanceAdmin(OfficeDataAdminMixin, SimpleHistoryAdmin):
    office_lookup = "enrolment__session__office_id"
    list_display = ["enrolment", "date", "status", "transport_paid"]
    list_filter = ["status"]
    raw_id_fields = ["enrolment", "counts_as_report", "recorded_by"]


@admin.register(FollowUp)
class FollowUpAdmin(OfficeDataAdminMixin, SimpleHistoryAdmin):
    office_lookup = "enrolment__session__office_id"
    list_display = ["enrolment", "date", "status", "income"]
    list_filter = ["status", "reason"]
    raw_id_fields = ["enrolment", "recorded_by"]
