"""Admin for regulation documents."""
from django.contrib import admin

from offices.admin_mixins import InputRecordAdmin
from regulations.models import RegulationDocument


@admin.register(RegulationDocument)
class RegulationDocumentAdmin(InputRecordAdmin, admin.ModelAdmin):
    list_display = ["title", "township", "kind", "adopted_on", "retired_on", "uploaded_at"]
    list_filter = ["kind", ("retired_on", admin.EmptyFieldListFilter)]
    search_fields = ["title", "township__name", "township__code"]
    list_select_related = ["township"]
    raw_id_fields = ["township", "superseded_by"]
    date_hierarchy = "adopted_on"
