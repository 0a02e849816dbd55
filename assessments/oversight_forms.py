"""Forms of the oversight pages: dashboard/county filters and the circular form."""
from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import Circular
from assessments.oversight import DASHBOARD_DIMENSIONS
from offices.compliance import Status
from offices.text import NoControlCharactersForm

DIMENSION_CHOICES = [("", _("全部方面"))] + [(d.value, d.label) for d in DASHBOARD_DIMENSIONS]
STATUS_CHOICES = [("", _("全部状态"))] + [(s.value, s.label) for s in (Status.FAIL, Status.PASS, Status.NOT_ASSESSED)]


class OversightFilterForm(NoControlCharactersForm, forms.Form):
    """Filters shared by the dashboard's failing list and the county table (a GET form)."""

    dimension = forms.ChoiceField(label=_("方面"), choices=DIMENSION_CHOICES, required=False,
                                  error_messages={"invalid_choice": _("方面“%(value)s”不存在，请从列表中选择。")})
    status = forms.ChoiceField(label=_("状态"), choices=STATUS_CHOICES, required=False,
                               error_messages={"invalid_choice": _("状态“%(value)s”不存在，请从列表中选择。")})

    def filters(self):
        """The valid filters (an invalid one is dropped, not an error page)."""
        if not self.is_bound:
            return dict(self.initial)
        data = {}
        for name in self.fields:
            if name not in self.data:  # e.g. only ?year= given: keep the default filter
                data[name] = self.initial.get(name, "")
                continue
            value = self.data.get(name, "")
            try:
                data[name] = self.fields[name].clean(value)
            except forms.ValidationError:
                data[name] = self.initial.get(name, "")
        return data


class DashboardFilterForm(OversightFilterForm):
    county = forms.ChoiceField(label=_("县（市、区）"), required=False,
                               error_messages={"invalid_choice": _("县区“%(value)s”不在本市范围内。")})
    field_order = ["county", "dimension", "status"]

    def __init__(self, *args, counties=(), **kwargs):
        kwargs.setdefault("initial", {"status": Status.FAIL, "county": "", "dimension": ""})
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [("", _("全部县区"))] + [(c.code, c.name) for c in counties]


class CountyFilterForm(OversightFilterForm):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"status": "", "dimension": ""})
        super().__init__(*args, **kwargs)


class CircularForm(NoControlCharactersForm, forms.ModelForm):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int,
                                  error_messages={"invalid_choice": _("年度“%(value)s”没有数据，请从列表中选择。"),
                                                  "required": _("请选择通报的年度。")})

    class Meta:
        model = Circular
        fields = ["year", "title", "reference", "preface"]
        widgets = {"preface": forms.Textarea(attrs={"rows": 5})}
        error_messages = {
            "title": {"required": _("请填写通报标题。"), "max_length": _("标题不能超过%(limit_value)d个字。")},
            "reference": {"max_length": _("文号不能超过%(limit_value)d个字符。")},
        }
        help_texts = {
            "reference": _("例如：临民字〔2025〕12号"),
            "preface": _("通报正文开头的说明，例如检查的时间、范围和方式。"),
        }

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in years]

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("请填写通报标题。"), code="required")
        return title

