from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from offices import services
from offices.accounts.forms import AdministratorPasswordResetForm
from offices.accounts.signals import password_changed
from offices.admin_mixins import InputRecordAdmin, ServiceSavedAdmin
from offices.models import City, County, Population, Standard, Township, TownshipOffice, User, Village


def _division_save(unit, user, form):
    previous = form.initial.get("township") if "township" in form.changed_data else None
    return services.division_save(unit=unit, user=user, previous_township_id=previous)


def _division_delete(unit, user):
    return services.division_delete(unit=unit, user=user)


class DivisionAdmin(ServiceSavedAdmin, admin.ModelAdmin):
    """A change of the hierarchy recomputes the townships under it in the background."""

    save_service = _division_save
    delete_service = _division_delete


@admin.register(City)
class CityAdmin(DivisionAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(County)
class CountyAdmin(DivisionAdmin):
    list_display = ["code", "name", "kind", "city"]
    list_filter = ["kind", "city"]
    search_fields = ["code", "name"]


@admin.register(Township)
class TownshipAdmin(DivisionAdmin):
    list_display = ["code", "name", "kind", "county"]
    list_filter = ["kind", "county"]
    search_fields = ["code", "name"]
    list_select_related = ["county"]


@admin.register(Village)
class VillageAdmin(DivisionAdmin):
    list_display = ["code", "name", "kind", "township"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    list_select_related = ["township"]
    raw_id_fields = ["township"]


@admin.register(Population)
class PopulationAdmin(InputRecordAdmin, admin.ModelAdmin):
    list_display = ["township", "year", "resident", "registered"]
    list_filter = ["year"]
    search_fields = ["township__name", "township__code"]
    raw_id_fields = ["township"]


@admin.register(TownshipOffice)
class TownshipOfficeAdmin(InputRecordAdmin, admin.ModelAdmin):
    list_display = ["name", "township", "setup"]
    list_filter = ["setup"]
    raw_id_fields = ["township"]


def _standard_save(standard, user, form):
    previous = form.initial.get("jurisdiction_code") if "jurisdiction_code" in form.changed_data else None
    return services.standard_save(standard=standard, user=user, previous_jurisdiction=previous)


def _standard_delete(standard, user):
    return services.standard_delete(standard=standard, user=user)


@admin.register(Standard)
class StandardAdmin(ServiceSavedAdmin, admin.ModelAdmin):
    """A standard's change recomputes, in the background, every township it may decide."""

    save_service = _standard_save
    delete_service = _standard_delete
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
    # Standards are changed by whoever holds the model permissions: the superuser and the system
    # administrator (security.roles, 三员分立).


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "last_name", "first_name", "role", "city", "county", "township", "is_staff"]
    list_filter = ["role", "is_staff", "is_superuser"]
    raw_id_fields = ["township"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("角色与所属单位"), {"fields": ["role", "city", "county", "township"]}),
        (_("密码状态"), {"fields": ["must_change_password", "password_changed_at"]}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((_("角色与所属单位"), {"fields": ["role", "city", "county", "township"]}),)
    readonly_fields = ["password_changed_at"]
    # A password an administrator sets (here or on creation) must be changed by its user at the next login.
    change_password_form = AdministratorPasswordResetForm

    def save_model(self, request, obj, form, change):
        if not change:
            obj.must_change_password = obj.has_usable_password()
        super().save_model(request, obj, form, change)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:  # the form was valid and saved
            user = self.get_object(request, unquote(id))
            password_changed.send(sender=User, user=user, request=request, by=request.user)
        return response
