from django.contrib import admin

from offices.admin_mixins import InputRecordAdmin
from supervision.models import (
    AssistantAssessment,
    Inspection,
    InspectionFinding,
    SatisfactionSurvey,
    ServiceContract,
)


@admin.register(AssistantAssessment)
class AssistantAssessmentAdmin(InputRecordAdmin, admin.ModelAdmin):
    list_display = ["assistant", "year", "grade", "assessor", "assessed_on"]
    list_filter = ["year", "grade"]
    search_fields = ["assistant__name", "assistant__village__name"]
    raw_id_fields = ["assistant"]


@admin.register(Inspection)
class InspectionAdmin(InputRecordAdmin, admin.ModelAdmin):
    list_display = ["township", "level", "date", "inspectors"]
    list_filter = ["level"]
    search_fields = ["township__name", "township__code"]
    raw_id_fields = ["township"]


@admin.register(InspectionFinding)
class InspectionFindingAdmin(InputRecordAdmin, admin.ModelAdmin):
    list_display = ["inspection", "deadline", "status", "rectified_on"]
    list_filter = ["status"]
    search_fields = ["inspection__township__name", "text"]
    raw_id_fields = ["inspection"]


@admin.register(SatisfactionSurvey)
class SatisfactionSurveyAdmin(InputRecordAdmin, admin.ModelAdmin):
    list_display = ["township", "year", "sample_size", "score"]
    list_filter = ["year"]
    raw_id_fields = ["township"]


@admin.register(ServiceContract)
class ServiceContractAdmin(InputRecordAdmin, admin.ModelAdmin):
    list_display = ["township", "provider", "area", "amount", "start_date", "end_date"]
    list_filter = ["area"]
    raw_id_fields = ["township"]
