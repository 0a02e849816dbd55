"""Rooms and equipment of the township office, and the village workstations with their space.

Rooms and equipment are recorded as current state with the years they have
been in use (`since_year` … `until_year`), so a past year can be assessed on
what the office had then.
"""
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from offices.history import register, tracked_history, year_span
from offices.models import Township, Village
from offices.querysets import township_scoped
from offices.text import NoControlCharactersModel
from offices.vocabulary import EquipmentKind, RoomKind

YEAR_RANGE = Q(since_year__gte=1949, since_year__lte=2100)

# What an office records: the kinds a standard can require, except that a
# computer is one kind whatever the standard asks for (its "networked" flag
# says whether it can go online), shown as 「电脑」.
RECORDED_EQUIPMENT = [
    (value, EquipmentKind.ANY_COMPUTER.label if value == EquipmentKind.COMPUTER else label)
    for value, label in EquipmentKind.choices
    if value != EquipmentKind.ANY_COMPUTER
]


class InUseQuerySet(township_scoped("township")):
    def in_use(self, year):
        """Rows in use at some time during `year`."""
        return self.filter(since_year__lte=year).filter(Q(until_year__isnull=True) | Q(until_year__gte=year))


class InUseYears(NoControlCharactersModel, models.Model):
    since_year = models.PositiveSmallIntegerField(_("启用年度"))
    until_year = models.PositiveSmallIntegerField(
        _("停用年度"), null=True, blank=True, help_text=_("仍在使用的留空；填写最后使用的年度。")
    )

    class Meta:
        abstract = True

    @property
    def in_use_label(self):
        return f"{self.since_year}–{self.until_year or ''}"

    def in_use(self, year):
        return self.since_year <= year and (self.until_year is None or year <= self.until_year)

    def clean(self):
        super().clean()
        if self.since_year is not None and not 1949 <= self.since_year <= 2100:
            raise ValidationError({"since_year": _("启用年度应在1949至2100之间。")}, code="year_range")
        if self.until_year is not None and self.since_year is not None and self.until_year < self.since_year:
            raise ValidationError({"until_year": _("停用年度不能早于启用年度。")}, code="until_before_since")

    @staticmethod
    def year_constraints(name):
        return [
            models.CheckConstraint(condition=YEAR_RANGE, name=f"{name}_since_year_range"),
            models.CheckConstraint(
                condition=Q(until_year__isnull=True) | Q(until_year__gte=F("since_year")),
                name=f"{name}_until_after_since",
            ),
        ]


class Room(InUseYears):
    """A room of the township office used for civil-affairs work."""

    township = models.ForeignKey(Township, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("乡镇"))
    kind = models.CharField(_("功能"), max_length=16, choices=RoomKind.choices)
    name = models.CharField(_("房间名称"), max_length=80)
    area = models.DecimalField(_("使用面积（㎡）"), max_digits=8, decimal_places=2)

    objects = InUseQuerySet.as_manager()
    history = tracked_history()

    class Meta:
        verbose_name = _("办公服务用房")
        verbose_name_plural = _("办公服务用房")
        ordering = ["township", "kind", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(area__gt=0), name="room_area_positive"),
            models.UniqueConstraint(
                fields=["township", "name", "since_year"], name="room_unique_name_since",
                violation_error_message=_("本乡镇已登记同名且同一年度启用的房间。"),
            ),
            *InUseYears.year_constraints("room"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.area is not None and self.area <= 0:
            raise ValidationError({"area": _("使用面积必须大于0。")}, code="area_positive")


class Equipment(InUseYears):
    """Equipment of the township office: a kind and how many."""

    township = models.ForeignKey(
        Township, on_delete=models.CASCADE, related_name="equipment", verbose_name=_("乡镇")
    )
    kind = models.CharField(_("设备"), max_length=16, choices=RECORDED_EQUIPMENT)
    count = models.PositiveSmallIntegerField(_("数量"), default=1)
    networked = models.BooleanField(
        _("可联网"), default=False,
        help_text=_("仅对电脑有意义：标准要求“电脑（可联网）”时只计可联网的电脑，只要求“电脑”时都计入。"),
    )
    note = models.CharField(_("型号或说明"), max_length=120, blank=True)

    objects = InUseQuerySet.as_manager()
    history = tracked_history()

    class Meta:
        verbose_name = _("办公设备")
        verbose_name_plural = _("办公设备")
        ordering = ["township", "kind", "since_year"]
        constraints = [
            models.CheckConstraint(condition=Q(count__gte=1), name="equipment_count_at_least_one"),
            # "Networked" only describes computers; anything else is stored as not networked.
            models.CheckConstraint(
                condition=Q(kind=EquipmentKind.COMPUTER) | Q(networked=False), name="equipment_networked_computers_only"
            ),
            models.UniqueConstraint(
                fields=["township", "kind", "networked", "since_year"], name="equipment_unique_kind_since",
                violation_error_message=_("本乡镇已登记同一年度启用的同类设备，请修改那一条的数量。"),
            ),
            *InUseYears.year_constraints("equipment"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} × {self.count}"

    def clean(self):
        super().clean()
        if self.count is not None and self.count < 1:
            raise ValidationError({"count": _("数量至少为1。")}, code="count_positive")
        if self.networked and self.kind and self.kind != EquipmentKind.COMPUTER:
            raise ValidationError({"networked": _("只有电脑可以标注“可联网”。")}, code="networked_computers_only")


class StationSpaceKind(models.TextChoices):
    OWN_ROOM = "own_room", _("独立办公用房")
    HALL_WINDOW = "hall_window", _("村（社区）便民服务大厅服务窗口")
    NONE = "none", _("无办公场所")


class VillageStationSpace(NoControlCharactersModel, models.Model):
    """Where a village's civil-affairs workstation works: its own room or a service-hall window."""

    village = models.OneToOneField(
        Village, on_delete=models.CASCADE, related_name="station_space", verbose_name=_("村（社区）")
    )
    kind = models.CharField(_("办公场所"), max_length=16, choices=StationSpaceKind.choices)
    area = models.DecimalField(_("面积（㎡）"), max_digits=8, decimal_places=2, null=True, blank=True)

    objects = township_scoped("village__township").as_manager()
    history = tracked_history()

    class Meta:
        verbose_name = _("村（社区）工作站办公场所")
        verbose_name_plural = _("村（社区）工作站办公场所")
        ordering = ["village__code"]
        constraints = [
            models.CheckConstraint(condition=Q(area__isnull=True) | Q(area__gt=0), name="station_space_area_positive"),
            models.CheckConstraint(
                condition=~Q(kind=StationSpaceKind.NONE) | Q(area__isnull=True), name="station_space_none_has_no_area"
            ),
        ]

    def __str__(self):
        return f"{self.village}：{self.get_kind_display()}"

    @property
    def has_space(self):
        return self.kind != StationSpaceKind.NONE

    def clean(self):
        super().clean()
        if self.area is not None and self.area <= 0:
            raise ValidationError({"area": _("面积必须大于0。")}, code="area_positive")
        if self.kind == StationSpaceKind.NONE and self.area is not None:
            raise ValidationError({"area": _("无办公场所时不填写面积。")}, code="area_without_space")


class VillageStation(NoControlCharactersModel, models.Model):
    """A village's or community's civil-affairs workstation (民政工作站)."""

    village = models.OneToOneField(
        Village, on_delete=models.CASCADE, related_name="station", verbose_name=_("村（社区）")
    )
    name = models.CharField(_("工作站名称"), max_length=80)

    history = tracked_history()

    class Meta:
        # The table was created by `offices`, which held this model first; it moved here without a copy.
        db_table = "offices_villagestation"
        verbose_name = _("村（社区）民政工作站")
        verbose_name_plural = _("村（社区）民政工作站")

    def __str__(self):
        return self.name

    @staticmethod
    def expected_name(village_short_name):
        return f"{village_short_name}民政工作站"


register(Room, label=_("办公服务用房"), years=year_span("since_year", "until_year"))
register(Equipment, label=_("办公设备"), years=year_span("since_year", "until_year"))
register(VillageStationSpace, label=_("村（社区）工作站办公场所"), township="village__township_id")
register(VillageStation, label=_("村（社区）民政工作站"), township="village__township_id")
