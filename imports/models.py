"""Each uploaded workbook is kept with who sent it, what the preview found and whether it was written."""
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def upload_to(instance, filename):
    return f"imports/{instance.token}.xlsx"


class ImportBatch(models.Model):
    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("已预览")
        APPLIED = "applied", _("已导入")
        REFUSED = "refused", _("未通过检查")

    token = models.UUIDField(_("批次标识"), default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now)
    file = models.FileField(_("工作簿"), upload_to=upload_to, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=255, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PREVIEWED)
    fingerprint = models.CharField(_("预览摘要"), max_length=64, blank=True)
    preview = models.JSONField(_("预览结果"), default=dict, blank=True)
    applied_at = models.DateTimeField(_("导入时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("批量导入")
        verbose_name_plural = verbose_name
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.original_name} {self.created_at:%Y-%m-%d %H:%M}"
