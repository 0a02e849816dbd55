"""Circulars (通报): a city's published, frozen ranking of counties and townships."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from offices.models import City
from offices.querysets import ScopedQuerySet
from offices.text import NoControlCharactersModel


class CircularQuerySet(ScopedQuerySet):
    """Circulars of the user's city: the city bureau sees its drafts too, counties only what is published."""

    scope_lookups = {"city": "city_id", "county": "city__counties", "township": None}

    def for_user(self, user):
        circulars = super().for_user(user)
        return circulars if (user.is_superuser or user.is_city) else circulars.published()

    def published(self):
        return self.filter(state=Circular.State.PUBLISHED)

    def manageable_by(self, user):
        """The circulars a user may draft and publish: the city bureau's own (administrators: all)."""
        if user.is_superuser:
            return self
        return self.filter(city_id=user.city_id) if user.is_city else self.none()


class Circular(NoControlCharactersModel, models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")

    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="circulars", verbose_name=_("市"))
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("标题"), max_length=200)
    reference = models.CharField(_("文号"), max_length=64, blank=True)
    preface = models.TextField(_("前言"), blank=True)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.DRAFT)
    # Figures frozen at publication; later data edits never change a published circular.
    snapshot = models.JSONField(_("数据快照"), null=True, blank=True, editable=False)
    snapshot_taken_at = models.DateTimeField(_("数据截取时间"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("发布人"), editable=False,
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = CircularQuerySet.as_manager()

    class Meta:
        verbose_name = _("通报")
        verbose_name_plural = _("通报")
        ordering = ["-year", "-published_at", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="draft")
                | Q(state="published", snapshot__isnull=False, published_at__isnull=False, snapshot_taken_at__isnull=False),
                name="circular_published_has_snapshot",
            ),
        ]

    def __str__(self):
        return self.title
