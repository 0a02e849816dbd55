from django.contrib import admin

from assessments.models import Circular


@admin.register(Circular)
class CircularAdmin(admin.ModelAdmin):
    list_display = ["title", "city", "year", "state", "published_at"]
    list_filter = ["state", "year"]
    readonly_fields = ["snapshot", "snapshot_taken_at", "published_at", "published_by"]

    def has_change_permission(self, request, obj=None):
        # A published circular is a frozen record.
        return super().has_change_permission(request, obj) and (obj is None or obj.state == Circular.State.DRAFT)
