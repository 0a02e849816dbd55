"""The funding rules of 有钱干事: pure functions over plain values and standard parameters.

No ORM here: `funding.compliance` gathers the values, these functions decide.
Each rule is declared once below; the engine calls a rule only when the
applicable standard sets it.
"""
import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from offices.compliance import (
    NAMES_LISTED,
    Actor,
    Dimension,
    RuleSpec,
    Status,
    Unit,
    format_number,
    listed,
    money,
    per_ten_thousand,
    shortfall,
)

ZERO = Decimal("0.00")
QUARTER_LABELS = {
    1: gettext_lazy("第一季度"), 2: gettext_lazy("第二季度"), 3: gettext_lazy("第三季度"), 4: gettext_lazy("第四季度"),
}

BUDGET_URL = "funding:budget"
SUBSIDIES_URL = "funding:subsidies"

WORKING_FUNDS = RuleSpec(
    code="funding.working_funds", dimension=Dimension.FUNDING, title=gettext_lazy("工作经费"),
    unit=Unit.YUAN, fix_url=BUDGET_URL, fixed_by=Actor.TOWNSHIP,
    applies=lambda standard: standard.funds_per_10k_population is not None,
)
ASSISTANT_SUBSIDY = RuleSpec(
    code="funding.assistant_subsidy", dimension=Dimension.FUNDING, title=gettext_lazy("民政助理员补助"),
    unit=Unit.YUAN, fix_url=SUBSIDIES_URL, fixed_by=Actor.TOWNSHIP,
    applies=lambda standard: standard.assistant_monthly_subsidy is not None,
)
VEHICLE_COSTS = RuleSpec(
    code="funding.vehicle_costs", dimension=Dimension.FUNDING, title=gettext_lazy("服务车辆运行费"),
    unit=Unit.ITEMS, fix_url=BUDGET_URL, fixed_by=Actor.TOWNSHIP,
    applies=lambda standard: bool(standard.vehicle_costs_required),
)
RULES = [WORKING_FUNDS, ASSISTANT_SUBSIDY, VEHICLE_COSTS]


def quarter_label(quarter):
    return str(QUARTER_LABELS[quarter])


def yuan(value):
    """An amount as an explanation words it: 「10,000元」, 「9,999.99元」.

    Not `present(value, Unit.YUAN)`: that prints the cents of whole amounts
    (「10,000.00元」), which reads as noise in a sentence; tables use `present`.
    """
    return f"{format_number(value)}{Unit.YUAN.label}"


# ---------------------------------------------------------------------------
# Working funds: ≥ funds_per_10k yuan per 10,000 population
# ---------------------------------------------------------------------------


def required_working_funds(population, funds_per_10k):
    """Return population × funds_per_10k / 10,000 in yuan, exact, rounded half up to the cent."""
    return money(per_ten_thousand(funds_per_10k, population))


def working_funds_rule(*, population, funds_per_10k, budgeted, allocated, population_label=None):
    """Allocated working funds (实际到位) must reach the requirement; budgeted is shown alongside.

    Called only when the standard sets `funds_per_10k` (the engine checks
    `applies`). `budgeted`/`allocated` are None when the township entered no
    working-funds line for the year.
    """
    funds_per_10k = Decimal(funds_per_10k)
    population_label = population_label or _("常住人口")
    basis = {_("每万人年工作经费标准"): yuan(funds_per_10k)}
    if population is None:
        return WORKING_FUNDS.result(
            Status.FAIL, fix_url="offices:population_edit", basis=basis,
            explanation=_("未录入本年度%(label)s，无法计算应安排的工作经费，请先录入人口。") % {"label": population_label},
        )
    required = required_working_funds(population, funds_per_10k)
    entered = allocated is not None
    budgeted = budgeted if budgeted is not None else ZERO
    allocated = allocated if allocated is not None else ZERO
    gap = shortfall(required, allocated)
    basis.update({
        population_label: format_number(population),
        _("应安排工作经费"): yuan(required),
        _("列入财政预算"): yuan(budgeted) if entered else _("未录入"),
        _("实际到位"): yuan(allocated) if entered else _("未录入"),
    })
    if entered and budgeted > allocated:
        basis[_("预算未到位")] = yuan(budgeted - allocated)
    if not entered:
        explanation = _("工作经费应不少于%(required)s，本年度尚未录入工作经费预算及到位情况。") % {"required": yuan(required)}
    elif gap:
        explanation = _("工作经费应不少于%(required)s，列入预算%(budgeted)s，实际到位%(allocated)s，缺%(gap)s") % {
            "required": yuan(required), "budgeted": yuan(budgeted), "allocated": yuan(allocated), "gap": yuan(gap),
        }
    else:
        explanation = _("工作经费应不少于%(required)s，实际到位%(allocated)s，已达标") % {
            "required": yuan(required), "allocated": yuan(allocated),
        }
    return WORKING_FUNDS.result(
        Status.FAIL if gap or not entered else Status.PASS,
        required=required, actual=allocated, gap=gap, explanation=explanation, basis=basis,
    )


# ---------------------------------------------------------------------------
# Village assistants' subsidy: ≥ monthly_subsidy per month in post, paid quarterly
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AssistantTerm:
    """An assistant's time in post, as the subsidy rule needs it."""

    assistant_id: int
    name: str
    village: str
    start_date: date
    end_date: date | None = None


def quarter_end(year, quarter):
    month = 3 * quarter
    return date(year, month, calendar.monthrange(year, month)[1])


def months_in_post(start_date, end_date, year, quarter):
    """Count the calendar months of the quarter in which the assistant was in post.

    Any day in post counts the whole month (RULES.md: "60 yuan for each calendar
    month in which the assistant was in post"): starting on 31 March or leaving
    on 1 January still makes that month due.
    """
    # In post in a month ⇔ started by its last day and not left before its first day, i.e.
    # the start's month is not after it and the end's month not before it. Counting on
    # month numbers (year × 12 + month) keeps this cheap: it runs per assistant and quarter.
    first = year * 12 + 3 * quarter - 2
    last = first + 2
    started = start_date.year * 12 + start_date.month
    left = last if end_date is None else end_date.year * 12 + end_date.month
    return max(min(left, last) - max(started, first) + 1, 0)


def judged_quarters(year, today):
    """Return the quarters of `year` that ended before `today` (a quarter is judged once it is over)."""
    return [quarter for quarter in (1, 2, 3, 4) if quarter_end(year, quarter) < today]


def required_subsidy(monthly_subsidy, months):
    return money(Decimal(monthly_subsidy) * months)


@dataclass(frozen=True)
class SubsidyShortfall:
    assistant_id: int
    name: str
    village: str
    quarter: int
    paid: Decimal
    required: Decimal

    @property
    def gap(self):
        return self.required - self.paid

    def __str__(self):
        return f"{self.village} {self.name} {quarter_label(self.quarter)}"


def describe_shortfalls(shortfalls):
    """One line per shortfall, e.g. 「张庄村 王芳 第一季度：实发120元，应发180元」.

    The wording is translated once for the whole list, not once per line.
    """
    template = _("%(village)s %(name)s %(quarter)s：实发%(paid)s，应发%(required)s")
    quarters = {quarter: quarter_label(quarter) for quarter in {s.quarter for s in shortfalls}}
    return [
        template % {
            "village": s.village, "name": s.name, "quarter": quarters[s.quarter],
            "paid": yuan(s.paid), "required": yuan(s.required),
        }
        for s in shortfalls
    ]


def subsidy_shortfalls(terms, payments, *, year, monthly_subsidy, quarters):
    """List every (assistant, quarter) among `quarters` in which the assistant was paid less than due.

    `terms` are AssistantTerms, or any records with the same attributes;
    `payments` maps (assistant_id, quarter) → amount paid, a missing entry is
    nothing paid. Returns (total required, total paid, shortfalls).
    """
    total_required = total_paid = ZERO
    shortfalls = []
    due = {months: required_subsidy(monthly_subsidy, months) for months in (1, 2, 3)}
    for term in terms:
        for quarter in quarters:
            months = months_in_post(term.start_date, term.end_date, year, quarter)
            if not months:
                continue
            required = due[months]
            paid = payments.get((term.assistant_id, quarter), ZERO)
            total_required += required
            total_paid += paid
            if paid < required:
                shortfalls.append(
                    SubsidyShortfall(term.assistant_id, term.name, term.village, quarter, paid, required)
                )
    return total_required, total_paid, shortfalls


def assistant_subsidy_rule(*, terms, payments, year, monthly_subsidy, today):
    """Each assistant gets ≥ monthly_subsidy × months in post for every quarter that has ended.

    Called only when the standard sets `monthly_subsidy` (the engine checks
    `applies`). Only quarters that ended before `today` are judged (all four
    for a past year). The gap is the sum of the quarters' shortfalls: paying
    more in one quarter does not make up for another quarter paid short. The
    result's `items` are every SubsidyShortfall, so that the subsidy sheet
    marks exactly the cells the scorecard counts.
    """
    monthly_subsidy = Decimal(monthly_subsidy)
    quarters = judged_quarters(year, today)
    total_required, total_paid, shortfalls = subsidy_shortfalls(
        terms, payments, year=year, monthly_subsidy=monthly_subsidy, quarters=quarters
    )
    gap = sum((s.gap for s in shortfalls), ZERO)
    basis = {
        _("每人每月补助标准"): yuan(monthly_subsidy),
        _("评估季度"): listed((quarter_label(q) for q in quarters), Unit.ITEMS)
        or _("无（本年度尚无已结束的季度）"),
        _("在岗民政助理员"): _("%(count)s人") % {"count": len(terms)},
        _("应发补助合计"): yuan(total_required),
        _("实发补助合计"): yuan(total_paid),
        _("补助不足的人次（季度）"): len(shortfalls),
        _("补助缺口合计"): yuan(gap),
    }
    if shortfalls:
        lines = describe_shortfalls(shortfalls[:NAMES_LISTED])
        first = lines[0]
        if len(shortfalls) > NAMES_LISTED:
            lines.append(_("……另有%(count)s项") % {"count": len(shortfalls) - NAMES_LISTED})
        basis[_("不足明细")] = lines
        explanation = _("%(count)s人次（季度）补助低于每月%(monthly)s的标准，共缺%(gap)s；如：%(first)s") % {
            "count": len(shortfalls), "monthly": yuan(monthly_subsidy), "gap": yuan(gap), "first": first,
        }
    elif not quarters:
        explanation = _("本年度尚无已结束的季度，暂无应发补助。")
    elif not terms:
        explanation = _("本年度无在岗民政助理员，无应发补助。")
    else:
        explanation = _("已结束的%(count)s个季度补助均按每人每月%(monthly)s足额发放，应发%(required)s，实发%(paid)s") % {
            "count": len(quarters), "monthly": yuan(monthly_subsidy),
            "required": yuan(total_required), "paid": yuan(total_paid),
        }
    return ASSISTANT_SUBSIDY.result(
        Status.FAIL if shortfalls else Status.PASS,
        required=total_required, actual=total_paid, gap=gap, explanation=explanation, basis=basis,
        items=tuple(shortfalls),
    )


# ---------------------------------------------------------------------------
# Service vehicle running costs: a budget line in township finance
# ---------------------------------------------------------------------------


def vehicle_costs_rule(*, budgeted):
    """A vehicle budget line with budgeted > 0 must exist.

    Called only when the standard requires it (the engine checks `applies`).
    `budgeted` is None when the township entered no vehicle line for the year.
    """
    ok = budgeted is not None and budgeted > 0
    if budgeted is None:
        explanation = _("服务车辆运行费应列入乡镇财政预算，本年度未录入该预算项目。")
    elif not ok:
        explanation = _("服务车辆运行费应列入乡镇财政预算，本年度预算金额为0元。")
    else:
        explanation = _("服务车辆运行费已列入乡镇财政预算%(amount)s") % {"amount": yuan(budgeted)}
    return VEHICLE_COSTS.result(
        Status.PASS if ok else Status.FAIL,
        required=1, actual=1 if ok else 0, gap=0 if ok else 1, explanation=explanation,
        basis={_("服务车辆运行费预算"): yuan(budgeted) if budgeted is not None else _("未录入")},
    )
