from django import forms
from django.utils.translation import gettext_lazy as _

from offices.models import Population, TownshipOffice
from offices.text import NoControlCharactersForm


class PopulationForm(NoControlCharactersForm, forms.ModelForm):
    class Meta:
        model = Population
        fields = ["year", "resident", "registered"]
        error_messages = {
            "resident": {"required": _("请填写常住人口。"), "invalid": _("常住人口必须是正整数。")},
            "registered": {"required": _("请填写户籍人口。"), "invalid": _("户籍人口必须是正整数。")},
            "year": {"required": _("请填写年度。")},
        }

    def __init__(self, *args, township, **kwargs):
        self.township = township
        super().__init__(*args, **kwargs)

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 1949 <= year <= 2100:
            raise forms.ValidationError(_("年度应在1949至2100之间。"), code="year_range")
        return year

    def clean_resident(self):
        return _positive(self.cleaned_data["resident"], _("常住人口"))

    def clean_registered(self):
        return _positive(self.cleaned_data["registered"], _("户籍人口"))


def _positive(value, label):
    if value is None or value <= 0:
        raise forms.ValidationError(_("%(field)s必须大于0。"), params={"field": label}, code="positive")
    return value


class OfficeForm(NoControlCharactersForm, forms.ModelForm):
    class Meta:
        model = TownshipOffice
        fields = ["name", "setup", "parent_office_name", "address", "phone"]
        error_messages = {"name": {"required": _("请填写机构名称。")}}
