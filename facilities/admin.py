from django.contrib import admin

from facilities.models import Equipment, Room, VillageStation, VillageStationSpace
from offices.admin_mixins import InputRecordAdmin


@admin.register(Room)
class RoomAdmin(InputRecordAdmin, admin.ModelAdmin):
    list_display = ["name", "township", "kind", "area", "since_year", "until_year"]
    list_filter = ["kind"]
    search_fields = ["name", "township__name", "township__code"]
    list_select_related = ["township"]
    raw_id_fields = ["township"]


@admin.register(Equipment)
class EquipmentAdmin(InputRecordAdmin, admin.ModelAdmin):
    list_display = ["township", "kind", "count", "networked", "since_year", "until_year"]
    list_filter = ["kind", "networked"]
    search_fields = ["township__name", "township__code", "note"]
    list_select_related = ["township"]
    raw_id_fields = ["township"]


@admin.register(VillageStationSpace)
class VillageStationSpaceAdmin(InputRecordAdmin, admin.ModelAdmin):
    list_display = ["village", "kind", "area"]
    list_filter = ["kind"]
    search_fields = ["village__name", "village__code"]
    list_select_related = ["village"]
    raw_id_fields = ["village"]


@admin.register(VillageStation)
class VillageStationAdmin(InputRecordAdmin, admin.ModelAdmin):
    list_display = ["name", "village"]
    raw_id_fields = ["village"]
    search_fields = ["name"]
