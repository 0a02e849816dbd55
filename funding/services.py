"""Writes of the funding app: each validates every value first, then saves in one transaction."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from funding import rules
from funding.models import QUARTER_NAMES, ZERO, AssistantSubsidyPayment, BudgetLine
from funding.selectors import assistants_in_post
from offices.acting import acting_address, acting_user
from offices.compliance.store import recompute_township
from offices.reporting import confirm_change, ensure_open, year_of


def _budgeted_total(existing, lines):
    """The year's total budgeted amount once `lines` are applied over the `existing` lines."""
    total = ZERO
    for kind in {*existing, *lines}:
        if kind in lines:
            amounts = lines[kind]
            total += ZERO if amounts is None or amounts[0] is None else amounts[0]
        else:
            total += existing[kind].budgeted
    return total


@transaction.atomic
def budget_set(*, township, year, lines, confirmed=False):
    """Replace the township's budget for `year`.

    `lines` maps a BudgetLine.Kind to (budgeted, allocated), or to None to
    remove that line; kinds not in `lines` are left as they are. A total
    budgeted amount that moved more than the city's threshold from last year's
    must be `confirmed` (three lines once went to zero unnoticed).
    """
    ensure_open(township, year_of(year))
    existing = {line.kind: line for line in BudgetLine.objects.filter(township=township, year=year)}
    previous = BudgetLine.objects.filter(township=township, year=year - 1).aggregate(total=Sum("budgeted"))["total"]
    confirm_change(township, year, field="confirmed", label=_("列入财政预算合计"), before=previous,
                   after=_budgeted_total(existing, lines), confirmed=confirmed, unit=_("元"))
    saved = []
    for kind, amounts in lines.items():
        line = existing.get(kind)
        if amounts is None:
            if line is not None:
                line.delete()
            continue
        budgeted, allocated = (ZERO if value is None else value for value in amounts)
        if line is not None and (line.budgeted, line.allocated) == (budgeted, allocated):
            saved.append(line)  # unchanged: no save, no history row
            continue
        line = line or BudgetLine(township=township, year=year, kind=kind)
        line.budgeted, line.allocated = budgeted, allocated
        line.full_clean()
        line.save()
        saved.append(line)
    recompute_township(township, years={year})
    return saved


@transaction.atomic
def subsidies_record(*, township, year, amounts, paid_date=None):
    """Record the quarterly subsidies of the township's assistants for `year` in one go.

    `amounts` maps (assistant_id, quarter) → amount, or None to clear the cell.
    Every cell is checked before anything is written: an assistant of another
    township, or an amount for a quarter in which the assistant was not in
    post, rejects the whole sheet. `paid_date` is set on new or changed cells.
    Every change of a cell has its history row.
    """
    ensure_open(township, year_of(year))
    assistants = {a.pk: a for a in assistants_in_post(township, year)}
    errors = []
    for (assistant_id, quarter), amount in amounts.items():
        assistant = assistants.get(assistant_id)
        if assistant is None:
            errors.append(ValidationError(_("民政助理员不属于本乡镇或本年度不在岗。"), code="foreign_assistant"))
        elif quarter not in QUARTER_NAMES:
            errors.append(ValidationError(_("季度应为1至4。"), code="quarter_range"))
        elif amount is not None and amount < 0:
            errors.append(_cell_error(assistant, quarter, _("发放金额不能为负数。"), "negative"))
        elif amount is not None and not rules.months_in_post(assistant.start_date, assistant.end_date, year, quarter):
            errors.append(_cell_error(assistant, quarter, _("该季度不在岗，不应录入补助。"), "not_in_post"))
    if errors:
        raise ValidationError(errors)

    existing = {
        (p.assistant_id, p.quarter): p
        for p in AssistantSubsidyPayment.objects.filter(assistant__in=list(assistants), year=year)
    }
    to_create, to_update, to_delete = [], [], []
    for key, amount in amounts.items():
        payment = existing.get(key)
        if amount is None:
            if payment is not None:
                to_delete.append(payment)
            continue
        if payment is not None and payment.amount == amount:
            continue
        payment = payment or AssistantSubsidyPayment(assistant=assistants[key[0]], year=year, quarter=key[1])
        payment.amount = amount
        payment.paid_date = paid_date or payment.paid_date
        # Uniqueness holds by construction (one row per existing key), the
        # assistant was loaded above and the database keeps every check
        # constraint; skip the per-row queries.
        payment.full_clean(exclude=["assistant"], validate_unique=False, validate_constraints=False)
        (to_update if payment.pk else to_create).append(payment)
    for payment in to_delete:
        payment.delete()  # one by one: each deletion is recorded
    # A sheet saves up to four cells per assistant: two bulk statements (and their history in bulk, with the
    # acting user and address the per-row signal would have set) instead of two round trips per cell.
    recorded = {"default_user": acting_user(), "custom_historical_attrs": {"history_address": acting_address()}}
    bulk_create_with_history(to_create, AssistantSubsidyPayment, **recorded)
    bulk_update_with_history(to_update, AssistantSubsidyPayment, ["amount", "paid_date"], **recorded)
    recompute_township(township, years={year})
    return len(to_create), len(to_update), len(to_delete)


def _cell_error(assistant, quarter, message, code):
    return ValidationError(
        _("%(village)s %(name)s %(quarter)s：%(message)s"),
        params={"village": assistant.village.short_name, "name": assistant.name,
                "quarter": QUARTER_NAMES[quarter], "message": message},
        code=code,
    )
