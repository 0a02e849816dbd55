"""One row per form sent: a double-clicked 「保存」 or a resent POST is recognised by its token and not saved twice."""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FormSubmission(models.Model):
    token = models.UUIDField(_("表单标识"), unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="+")
    at = models.DateTimeField(_("提交时间"), default=timezone.now)

    class Meta:
        verbose_name = _("表单提交")
        verbose_name_plural = verbose_name

    def __str__(self):
        return str(self.token)
