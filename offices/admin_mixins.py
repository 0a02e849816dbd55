"""What every app's admin shares: rule inputs are read-only there, and saves go through the services.

A rule input changed in the admin would bypass what the services do — the
checks, the recompute of the stored results (and the history of changes) —
so the admin shows those records and the app's own pages change them.
"""
from django.contrib import messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _


class InputRecordAdmin:
    """Admin of a rule input: viewable, never added, changed or deleted here (the app's pages do that)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ServiceSavedAdmin:
    """Admin whose saves and deletes call a service (`save_service`, `delete_service`) that returns a Job or None."""

    save_service = None
    delete_service = None

    def _announce(self, request, job):
        if job is not None:
            messages.info(request, format_html(
                '{} <a href="{}">{}</a>', _("已在后台重新计算受影响乡镇的达标结果（%(title)s）。") % {"title": job.title},
                reverse("offices:job", args=[job.pk]), _("查看进度")))

    def save_model(self, request, obj, form, change):
        self._announce(request, type(self).save_service(obj, request.user, form))

    def delete_model(self, request, obj):
        self._announce(request, type(self).delete_service(obj, request.user))

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
