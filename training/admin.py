from django.contrib import admin

from offices.admin_mixins import InputRecordAdmin
from training.models import Attendance, TrainingSession


class AttendanceInline(InputRecordAdmin, admin.TabularInline):
    model = Attendance
    extra = 0
    raw_id_fields = ["staff_member", "assistant"]


@admin.register(TrainingSession)
class TrainingSessionAdmin(InputRecordAdmin, admin.ModelAdmin):
    list_display = ["date", "level", "topic", "audience", "hours"]
    list_filter = ["level", "audience"]
    search_fields = ["topic"]
    date_hierarchy = "date"
    raw_id_fields = ["city", "county", "township"]
    inlines = [AttendanceInline]
