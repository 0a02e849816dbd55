from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from offices.models import City, County, Population, Standard, Township, TownshipOffice, User, Village


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "city"]
    list_filter = ["kind", "city"]
    search_fields = ["code", "name"]


@admin.register(Township)
class TownshipAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "county"]
    list_filter = ["kind", "county"]
    search_fields = ["code", "name"]
    list_select_related = ["county"]


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "township"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    list_select_related = ["township"]
    raw_id_fields = ["township"]


@admin.register(Population)
class PopulationAdmin(admin.ModelAdmin):
    list_display = ["township", "year", "resident", "registered"]
    list_filter = ["year"]
    search_fields = ["township__name", "township__code"]
    raw_id_fields = ["township"]


@admin.register(TownshipOffice)
class TownshipOfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "township", "setup"]
    list_filter = ["setup"]
    raw_id_fields = ["township"]


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin):
    list_display = ["name", "jurisdiction_name", "jurisdiction_code", "valid_from_year", "valid_to_year"]
    fieldsets = [
        (None, {"fields": ["name", "jurisdiction_name", "jurisdiction_code", "valid_from_year", "valid_to_year", "source", "population_basis"]}),
        (_("有人管事"), {"fields": ["posts_tiers", "posts_step_population", "posts_step_posts", "posts_step_rounding", "assistants_per_village", "director_opinion_required", "assistant_filing_required"]}),
        (_("有钱干事"), {"fields": ["funds_per_10k_population", "assistant_monthly_subsidy", "grade_subsidy_factors", "vehicle_costs_required"]}),
        (_("有场所办事"), {"fields": ["area_per_10k_population", "area_minimum", "required_rooms", "village_station_space_required", "naming_required"]}),
        (_("有手段成事"), {"fields": ["required_equipment"]}),
        (_("有章理事"), {"fields": ["required_regulations"]}),
        (_("培训"), {"fields": ["training_cycle_years", "training_before_post", "graded_training"]}),
    ]

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "last_name", "first_name", "role", "city", "county", "township", "is_staff"]
    list_filter = ["role", "is_staff", "is_superuser"]
    raw_id_fields = ["township"]
    fieldsets = BaseUserAdmin.fieldsets + ((_("角色与所属单位"), {"fields": ["role", "city", "county", "township"]}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((_("角色与所属单位"), {"fields": ["role", "city", "county", "township"]}),)
