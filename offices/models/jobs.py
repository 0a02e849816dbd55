"""Background jobs (huey): what was asked, by whom, how far it got, and the file it made."""
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from offices.text import NoControlCharactersModel


class JobQuerySet(models.QuerySet):
    def for_user(self, user):
        """A job is seen by the person who asked for it (and by superusers); nobody else."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(requested_by=user)


class Job(NoControlCharactersModel, models.Model):
    class Kind(models.TextChoices):
        RECOMPUTE = "recompute", _("重新计算达标结果")
        EXPORT = "export", _("导出达标情况表")

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("任务"), max_length=200)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.QUEUED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("发起人"))
    done = models.PositiveIntegerField(_("已完成"), default=0)
    total = models.PositiveIntegerField(_("总数"), default=0)
    message = models.TextField(_("说明"), blank=True)
    file = models.FileField(_("文件"), upload_to="jobs/%Y/%m/", blank=True)
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = verbose_name
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    @property
    def percent(self):
        if self.state == self.State.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def finished(self):
        return self.state in (self.State.DONE, self.State.FAILED)
