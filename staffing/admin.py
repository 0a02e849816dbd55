from django.contrib import admin

from offices.admin_mixins import InputRecordAdmin
from staffing.models import AuthorizedPosts, DirectorOpinion, StaffMember, VillageAssistant


class DirectorOpinionInline(admin.StackedInline):
    model = DirectorOpinion
    extra = 0


@admin.register(StaffMember)
class StaffMemberAdmin(InputRecordAdmin, admin.ModelAdmin):
    list_display = ["name", "township", "post", "education", "full_time", "qualification", "start_date", "end_date"]
    list_filter = ["post", "education", "full_time", "qualification"]
    search_fields = ["name", "township__name", "township__code"]
    list_select_related = ["township"]
    raw_id_fields = ["township"]
    date_hierarchy = "start_date"
    inlines = [DirectorOpinionInline]


@admin.register(AuthorizedPosts)
class AuthorizedPostsAdmin(InputRecordAdmin, admin.ModelAdmin):
    list_display = ["township", "year", "posts"]
    list_filter = ["year"]
    search_fields = ["township__name", "township__code"]
    list_select_related = ["township"]
    raw_id_fields = ["township"]


@admin.register(DirectorOpinion)
class DirectorOpinionAdmin(InputRecordAdmin, admin.ModelAdmin):
    list_display = ["director", "opinion_date", "reference"]
    search_fields = ["director__name", "reference"]
    list_select_related = ["director"]
    raw_id_fields = ["director"]


@admin.register(VillageAssistant)
class VillageAssistantAdmin(InputRecordAdmin, admin.ModelAdmin):
    list_display = ["name", "village", "role", "education", "start_date", "end_date", "filed_date"]
    list_filter = ["role", "education"]
    search_fields = ["name", "village__name", "village__code"]
    list_select_related = ["village"]
    raw_id_fields = ["village"]
    date_hierarchy = "start_date"
