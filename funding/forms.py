"""Forms of the funding app: the year's budget and the quarterly subsidy sheet.

Each amount field carries its own label inside its error messages, so a bad
cell in a long sheet says which line, assistant and quarter it is.
"""
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from funding.models import QUARTER_NAMES, BudgetLine
from offices import fields
from offices.text import NoControlCharactersForm


def money_field(label, **kwargs):
    """An optional yuan amount in a table cell: ≥ 0, at most 10 digits before the point and 2 after."""
    return fields.money_field(
        label, widget=fields.EntryInput(attrs={"class": "form-control form-control-sm text-end", "aria-label": label}),
        **kwargs,
    )


class BudgetForm(NoControlCharactersForm, forms.Form):
    """One pair of amounts (budgeted, allocated) per budget line kind; a pair left empty means no line."""

    confirmed = forms.BooleanField(
        label=gettext_lazy("确认变动无误"), required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
        help_text=gettext_lazy("列入财政预算合计与上年相比变动超过市级设定比例（默认30%）时，须核实后勾选。"))

    def __init__(self, *args, lines=None, **kwargs):
        super().__init__(*args, **kwargs)
        lines = lines or {}
        for kind, kind_label in BudgetLine.Kind.choices:
            line = lines.get(kind)
            for part, part_label in (("budgeted", _("列入财政预算")), ("allocated", _("实际到位"))):
                self.fields[f"{kind}_{part}"] = money_field(
                    f"{kind_label}·{part_label}", initial=getattr(line, part, None)
                )

    def rows(self):
        """(kind label, budgeted bound field, allocated bound field) for the template's table."""
        return [(label, self[f"{kind}_budgeted"], self[f"{kind}_allocated"]) for kind, label in BudgetLine.Kind.choices]

    def lines(self):
        """Map each kind to (budgeted, allocated), or None where both were left empty."""
        data = self.cleaned_data
        result = {}
        for kind in BudgetLine.Kind.values:
            budgeted, allocated = data.get(f"{kind}_budgeted"), data.get(f"{kind}_allocated")
            result[kind] = None if budgeted is None and allocated is None else (budgeted, allocated)
        return result


def cell_name(assistant_id, quarter):
    return f"a{assistant_id}_q{quarter}"


class SubsidySheetForm(NoControlCharactersForm, forms.Form):
    """The year's quarterly subsidies: one field per assistant and quarter in which the assistant was in post."""

    paid_date = fields.DateEntryField(
        label=gettext_lazy("发放日期"), required=False,
        help_text=gettext_lazy("可选：本次新录入或修改的金额的发放日期。"),
        widget=fields.DateEntryInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.sheet_rows = rows
        for row in rows:
            assistant = row.assistant
            for cell in row.cells:
                if not cell.due:
                    continue
                label = _("%(village)s %(name)s %(quarter)s") % {
                    "village": assistant.village.short_name, "name": assistant.name,
                    "quarter": QUARTER_NAMES[cell.quarter],
                }
                field = money_field(label, initial=cell.paid)
                if cell.required is not None:
                    field.widget.attrs["placeholder"] = f"{cell.required}"
                self.fields[cell_name(assistant.pk, cell.quarter)] = field

    def grid(self):
        """Rows of (row, [(cell, bound field or None)]) for the template."""
        return [
            (row, [(cell, self[cell_name(row.assistant.pk, cell.quarter)] if cell.due else None) for cell in row.cells])
            for row in self.sheet_rows
        ]

    def amounts(self):
        """Map (assistant_id, quarter) → amount (None where the cell was left empty)."""
        return {
            (row.assistant.pk, cell.quarter): self.cleaned_data.get(cell_name(row.assistant.pk, cell.quarter))
            for row in self.sheet_rows
            for cell in row.cells
            if cell.due
        }
