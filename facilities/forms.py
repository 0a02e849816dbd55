from django import forms
from django.utils.translation import gettext_lazy as _

from facilities.models import Equipment, Room, StationSpaceKind
from offices.fields import EntryDecimalField, EntryIntegerField, year_field
from offices.text import NoControlCharactersForm
from offices.vocabulary import EquipmentKind

AREA_UNITS = ("㎡", "平方米", "平米", "m²")
# The database's bound (PositiveSmallIntegerField).
EQUIPMENT_COUNT_MAX = 32767


class InUseYearsForm(NoControlCharactersForm, forms.ModelForm):
    since_year = year_field(_("启用年度"))
    until_year = year_field(_("停用年度"), required=False, help_text=_("仍在使用的留空；填写最后使用的年度。"))

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since_year"), cleaned.get("until_year")
        if since and until and until < since:
            self.add_error("until_year", forms.ValidationError(_("停用年度不能早于启用年度。"), code="until_before_since"))
        return cleaned


def area_confirmation():
    return forms.BooleanField(
        label=_("确认变动无误"), required=False,
        help_text=_("办公服务用房总使用面积与上年相比变动超过市级设定比例（默认30%）时，须核实后勾选。"))


class RoomForm(InUseYearsForm):
    area = EntryDecimalField(label=_("使用面积（㎡）"), greater_than=0, max_digits=8, decimal_places=2, wan=False,
                             unit="㎡", units=AREA_UNITS, examples=("120", "35.5"))
    confirmed = area_confirmation()

    class Meta:
        model = Room
        fields = ["kind", "name", "area", "since_year", "until_year", "confirmed"]
        error_messages = {
            "kind": {"required": _("请选择房间功能。"), "invalid_choice": _("房间功能不在可选范围内。")},
            "name": {"required": _("请填写房间名称。")},
        }


class EquipmentForm(InUseYearsForm):
    # At least 1, as the table's constraint says: a kind the office does not have is simply not recorded.
    count = EntryIntegerField(label=_("数量"), min_value=1, max_value=EQUIPMENT_COUNT_MAX, show_max=False, wan=False,
                              units=("台", "个", "套", "件", "辆"), initial=1, examples=("1", "2"))

    class Meta:
        model = Equipment
        fields = ["kind", "count", "networked", "note", "since_year", "until_year"]
        error_messages = {
            "kind": {"required": _("请选择设备。"), "invalid_choice": _("设备不在可选范围内。")},
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("networked") and cleaned.get("kind") and cleaned["kind"] != EquipmentKind.COMPUTER:
            self.add_error("networked", forms.ValidationError(_("只有电脑可以标注“可联网”。"), code="networked_computers_only"))
        return cleaned


class StationSpacesForm(NoControlCharactersForm, forms.Form):
    """One row per village of the township: where its workstation works, the area, its name."""

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.villages = list(villages)
        choices = [("", _("未填写"))] + list(StationSpaceKind.choices)
        for village in self.villages:
            space = getattr(village, "station_space", None)
            station = getattr(village, "station", None)
            self.fields[f"kind_{village.pk}"] = forms.ChoiceField(
                label=_("%(village)s办公场所") % {"village": village.name}, choices=choices, required=False,
                initial=space.kind if space else "",
                error_messages={"invalid_choice": _("%(village)s：办公场所不在可选范围内。") % {"village": village.name}},
            )
            self.fields[f"area_{village.pk}"] = EntryDecimalField(
                label=_("%(village)s面积") % {"village": village.name}, required=False, greater_than=0,
                max_digits=8, decimal_places=2, wan=False, unit="㎡", units=AREA_UNITS, examples=("30", "45.5"),
                initial=space.area if space else None,
            )
            self.fields[f"name_{village.pk}"] = forms.CharField(
                label=_("%(village)s工作站名称") % {"village": village.name}, required=False, max_length=80,
                initial=station.name if station else "",
                error_messages={"max_length": _("%(village)s：工作站名称不能超过80个字。") % {"village": village.name}},
            )

    def rows(self):
        """(village, kind field, area field, name field) for the template."""
        return [
            (v, self[f"kind_{v.pk}"], self[f"area_{v.pk}"], self[f"name_{v.pk}"]) for v in self.villages
        ]

    def clean(self):
        cleaned = super().clean()
        for village in self.villages:
            kind = cleaned.get(f"kind_{village.pk}")
            area = cleaned.get(f"area_{village.pk}")
            if area is not None and kind in ("", StationSpaceKind.NONE):
                self.add_error(
                    f"area_{village.pk}",
                    _("%(village)s：未选择办公场所或无办公场所时不填写面积。") % {"village": village.name},
                )
        return cleaned

    def entries(self):
        return {
            v: {
                "kind": self.cleaned_data.get(f"kind_{v.pk}") or "",
                "area": self.cleaned_data.get(f"area_{v.pk}"),
                "station_name": self.cleaned_data.get(f"name_{v.pk}") or "",
            }
            for v in self.villages
        }


class DeleteForm(NoControlCharactersForm, forms.Form):
    """A delete, posted from a list: its token and the version the list was read at (offices.pages.form_page)."""


class RoomDeleteForm(DeleteForm):
    confirmed = area_confirmation()
