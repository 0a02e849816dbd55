"""The facilities lists (rooms, equipment) as offices.tables lists: the page's table and its spreadsheet."""
from django.utils.translation import gettext_lazy as _

from offices.tables import DECIMAL, INTEGER, Column
from offices.vocabulary import EquipmentKind


def _years(row):
    return row.in_use_label


def room_columns(year):
    return [
        Column("name", _("房间名称")),
        Column("kind", _("功能"), value=lambda room: room.get_kind_display(), order="kind"),
        Column("area", _("使用面积（㎡）"), kind=DECIMAL,
               total=lambda room: room.area if room.in_use(year) else 0),
        Column("years", _("使用年度"), value=_years, order=lambda room: (room.since_year, room.until_year or 9999)),
    ]


def equipment_columns(year):
    return [
        Column("kind", _("设备"), value=lambda item: item.get_kind_display(), order="kind"),
        Column("count", _("数量（台）"), kind=INTEGER, total=lambda item: item.count if item.in_use(year) else 0),
        Column("networked", _("可联网"),
               value=lambda item: item.networked if item.kind == EquipmentKind.COMPUTER else None, order=False),
        Column("note", _("型号或说明")),
        Column("years", _("使用年度"), value=_years, order=lambda item: (item.since_year, item.until_year or 9999)),
    ]


def past(year):
    """The row class of a record no longer in use in `year` (shown muted)."""
    return lambda row: "text-muted" if row.until_year and row.until_year < year else ""
