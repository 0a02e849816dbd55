from django import forms
from django.utils.translation import gettext_lazy as _

from facilities.models import Equipment, Room, StationSpaceKind
from offices.text import NoControlCharactersForm
from offices.vocabulary import EquipmentKind

YEAR_MESSAGES = {
    "since_year": {"required": _("请填写启用年度。"), "invalid": _("启用年度必须是4位年份。")},
    "until_year": {"invalid": _("停用年度必须是4位年份。")},
}


class InUseYearsForm(NoControlCharactersForm, forms.ModelForm):
    def clean_since_year(self):
        return _year(self.cleaned_data["since_year"], _("启用年度"))

    def clean_until_year(self):
        return _year(self.cleaned_data.get("until_year"), _("停用年度"))

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since_year"), cleaned.get("until_year")
        if since and until and until < since:
            self.add_error("until_year", forms.ValidationError(_("停用年度不能早于启用年度。"), code="until_before_since"))
        return cleaned


def _year(value, label):
    if value is not None and not 1949 <= value <= 2100:
        raise forms.ValidationError(_("%(field)s应在1949至2100之间。"), params={"field": label}, code="year_range")
    return value


class RoomForm(InUseYearsForm):
    class Meta:
        model = Room
        fields = ["kind", "name", "area", "since_year", "until_year"]
        error_messages = {
            "kind": {"required": _("请选择房间功能。"), "invalid_choice": _("房间功能不在可选范围内。")},
            "name": {"required": _("请填写房间名称。")},
            "area": {
                "required": _("请填写使用面积。"),
                "invalid": _("使用面积必须是数字（㎡）。"),
                "max_digits": _("使用面积数字过大。"),
                "max_decimal_places": _("使用面积最多保留2位小数。"),
            },
            **YEAR_MESSAGES,
        }

    def clean_area(self):
        area = self.cleaned_data["area"]
        if area is not None and area <= 0:
            raise forms.ValidationError(_("使用面积必须大于0。"), code="area_positive")
        return area


class EquipmentForm(InUseYearsForm):
    class Meta:
        model = Equipment
        fields = ["kind", "count", "networked", "note", "since_year", "until_year"]
        error_messages = {
            "kind": {"required": _("请选择设备。"), "invalid_choice": _("设备不在可选范围内。")},
            "count": {"required": _("请填写数量。"), "invalid": _("数量必须是正整数。")},
            **YEAR_MESSAGES,
        }

    def clean_count(self):
        count = self.cleaned_data["count"]
        if count is not None and count < 1:
            raise forms.ValidationError(_("数量至少为1。"), code="count_positive")
        return count

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
            self.fields[f"area_{village.pk}"] = forms.DecimalField(
                label=_("%(village)s面积") % {"village": village.name}, required=False, max_digits=8, decimal_places=2,
                initial=space.area if space else None,
                error_messages={
                    "invalid": _("%(village)s：面积必须是数字（㎡）。") % {"village": village.name},
                    "max_digits": _("%(village)s：面积数字过大。") % {"village": village.name},
                    "max_decimal_places": _("%(village)s：面积最多保留2位小数。") % {"village": village.name},
                },
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
            if area is not None and area <= 0:
                self.add_error(f"area_{village.pk}", _("%(village)s：面积必须大于0。") % {"village": village.name})
            elif area is not None and kind in ("", StationSpaceKind.NONE):
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
