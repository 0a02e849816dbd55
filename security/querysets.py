"""Queries over the security event log, which refuses bulk updates and deletes."""
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _


class AppendOnlyError(PermissionDenied):
    """An attempt to change or delete a recorded security event."""


class SecurityEventQuerySet(models.QuerySet):
    def occurred_before(self, moment):
        return self.filter(occurred_at__lt=moment)

    def of_kind(self, *kinds):
        return self.filter(kind__in=kinds)

    def update(self, **kwargs):
        raise AppendOnlyError(_("安全事件只能新增，不能修改。"))

    def delete(self):
        raise AppendOnlyError(_("安全事件不能删除；超过保存期限的记录由 purge_security_events 命令清理。"))

    def purge(self):
        """Delete these rows: for the retention purge only (security.services.security_events_purge)."""
        return super().delete()

    # As on Django's QuerySet: not copied to the manager, so that `objects.purge()` cannot empty the log.
    delete.queryset_only = True
    purge.queryset_only = True
