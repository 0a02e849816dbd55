from django import forms
from django.utils.translation import gettext_lazy as _

from offices.fields import EntryIntegerField, year_field
from offices.models import Population, TownshipOffice
from offices.text import NoControlCharactersForm

# The database's bound (PositiveIntegerField): above it PostgreSQL refuses the row.
POPULATION_MAX = 2_147_483_647


class PopulationForm(NoControlCharactersForm, forms.ModelForm):
    year = year_field(_("年度"))
    resident = EntryIntegerField(label=_("常住人口"), greater_than=0, max_value=POPULATION_MAX, show_max=False,
                                 unit=_("人"), examples=("76550", "7.6万"))
    registered = EntryIntegerField(label=_("户籍人口"), greater_than=0, max_value=POPULATION_MAX, show_max=False,
                                   unit=_("人"), examples=("81200", "8.12万"))

    confirmed = forms.BooleanField(
        label=_("确认变动无误"), required=False,
        help_text=_("常住人口与上年相比变动超过市级设定比例（默认30%）时，须核实后勾选。"))

    class Meta:
        model = Population
        fields = ["year", "resident", "registered", "confirmed"]

    def __init__(self, *args, township, **kwargs):
        self.township = township
        super().__init__(*args, **kwargs)


class OfficeForm(NoControlCharactersForm, forms.ModelForm):
    class Meta:
        model = TownshipOffice
        fields = ["name", "setup", "parent_office_name", "address", "phone"]
        error_messages = {"name": {"required": _("请填写机构名称。")}}
