"""The township civil-affairs office (the village workstations live in `facilities`)."""
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from offices.history import register, tracked_history
from offices.models.hierarchy import Township
from offices.text import NoControlCharactersModel


class TownshipOffice(NoControlCharactersModel, models.Model):
    """The township's civil-affairs office (民政办公室)."""

    class Setup(models.TextChoices):
        STANDALONE = "standalone", _("独立设置的民政办公室")
        WITHIN_SOCIAL_AFFAIRS = "within_social_affairs", _("社会事务办公室内相对独立的民政办公室（已完成机构改革）")

    township = models.OneToOneField(Township, on_delete=models.CASCADE, related_name="office", verbose_name=_("乡镇"))
    name = models.CharField(_("机构名称"), max_length=80)
    setup = models.CharField(_("设置方式"), max_length=32, choices=Setup.choices, default=Setup.STANDALONE)
    parent_office_name = models.CharField(
        _("所在社会事务办公室名称"), max_length=80, blank=True,
        help_text=_("仅在社会事务办公室内设置时填写。"),
    )
    address = models.CharField(_("办公地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)

    history = tracked_history()

    class Meta:
        verbose_name = _("乡镇民政办公室")
        verbose_name_plural = _("乡镇民政办公室")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(setup="standalone", parent_office_name="")
                | models.Q(setup="within_social_affairs") & ~models.Q(parent_office_name=""),
                name="office_parent_name_iff_within_social_affairs",
            ),
        ]

    def __str__(self):
        return self.name

    @staticmethod
    def expected_name(township_name):
        return f"{township_name}民政办公室"

    def clean(self):
        super().clean()
        if self.setup == self.Setup.WITHIN_SOCIAL_AFFAIRS and not self.parent_office_name:
            raise ValidationError(
                {"parent_office_name": _("在社会事务办公室内设置时，请填写社会事务办公室名称。")},
                code="parent_required",
            )
        if self.setup == self.Setup.STANDALONE and self.parent_office_name:
            raise ValidationError(
                {"parent_office_name": _("独立设置的民政办公室不填写社会事务办公室名称。")},
                code="parent_forbidden",
            )


register(TownshipOffice, label=_("民政办公室"))
