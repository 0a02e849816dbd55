"""The oversight rules (考评与检查): pure functions, no ORM.

- Assistants graded: every village assistant in post on the assessment date
  has a grade for the year. The annual assessment happens at the end of the
  year, so a year still in progress is not assessed yet.
- Incompetent replaced: an assistant graded 不称职 for year Y must have left
  the post by the later of 31 December Y and the assessment date (leaving on
  that day counts). Until that day has come the grade is not a finding yet.
- Subsidy by grade: for every quarter of Y that has ended, an assistant with a
  grade for Y received at least monthly subsidy × months in post × the
  standard's factor for that grade (funding.rules does the quarter arithmetic).
- Rectification: an inspection whose deadline is before the assessment date
  (min(today, 31 December Y)) and was not rectified by that date.
- Satisfaction and bought services are tracked figures: the standard sets no
  threshold, so they are reported with status "not assessed" and their data.

The standard's "graded management" of assistants is the presence of
`grade_subsidy_factors` (the grades it ties to pay); without it the three
grade rules are not assessed. Inspections are judged under any standard.
"""
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from funding import rules as funding_rules
from offices.compliance import Dimension, RuleResult, Status, format_number, not_assessed, year_end
from offices.vocabulary import AssistantGrade

ASSISTANTS_GRADED = "oversight.assistants_graded"
INCOMPETENT_REPLACED = "oversight.incompetent_replaced"
SUBSIDY_BY_GRADE = "oversight.subsidy_by_grade"
RECTIFICATION = "oversight.rectification"
SATISFACTION = "oversight.satisfaction"
SERVICE_CONTRACTS = "oversight.service_contracts"

TITLES = {
    ASSISTANTS_GRADED: gettext_noop("民政助理员年度考评"),
    INCOMPETENT_REPLACED: gettext_noop("不称职助理员及时调整"),
    SUBSIDY_BY_GRADE: gettext_noop("补助与考评等次挂钩"),
    RECTIFICATION: gettext_noop("检查发现问题按期整改"),
    SATISFACTION: gettext_noop("群众满意度"),
    SERVICE_CONTRACTS: gettext_noop("政府购买服务"),
}
CODES = list(TITLES)

GRADES_URL = "assessments:grades"
INSPECTIONS_URL = "assessments:township_inspections"
RECORDS_URL = "assessments:township_records"
NAMES_LISTED = 10


def title(code):
    return _(TITLES[code])


@dataclass(frozen=True)
class AssistantRecord:
    """A village assistant in post at some time of the year, with the year's grade and subsidy payments."""

    assistant_id: int
    name: str
    village: str
    start_date: datetime.date
    end_date: datetime.date | None = None
    grade: str | None = None  # AssistantGrade value for the year, None when not graded
    assessed_on: datetime.date | None = None
    payments: dict = field(default_factory=dict)  # quarter → Decimal paid

    @property
    def label(self):
        return f"{self.name}（{self.village}）"

    def in_post_on(self, day):
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


@dataclass(frozen=True)
class InspectionRecord:
    date: datetime.date
    level_label: str
    deadline: datetime.date
    rectified_on: datetime.date | None = None
    findings: str = ""



def assessment_date(year, today):
    """The day a year is judged on: its last day, or today while it is still running."""
    return min(today, year_end(year))


def _listed(labels):
    labels = list(labels)
    shown = "、".join(labels[:NAMES_LISTED])
    if len(labels) > NAMES_LISTED:
        shown += _("等%(count)s项") % {"count": len(labels)}
    return shown


def _result(code, *, status, required, actual, gap, unit, explanation, fix_url, basis):
    return RuleResult(
        code=code, dimension=Dimension.OVERSIGHT, title=title(code), status=status, required=required,
        actual=actual, gap=gap, unit=unit, explanation=explanation, fix_url=fix_url, basis=basis,
    )


def assistants_graded(assistants, *, year, today, graded_management):
    """Every assistant in post on the assessment date has a grade for the year."""
    if not graded_management:
        return not_assessed(ASSISTANTS_GRADED, Dimension.OVERSIGHT, title(ASSISTANTS_GRADED))
    if today <= year_end(year):
        return not_assessed(
            ASSISTANTS_GRADED, Dimension.OVERSIGHT, title(ASSISTANTS_GRADED),
            _("年度考评在年末进行，%(year)s年尚未结束，暂不评估。") % {"year": year},
        )
    day = year_end(year)
    in_post = [a for a in assistants if a.in_post_on(day)]
    ungraded = [a.label for a in in_post if a.grade is None]
    total = len(in_post)
    if ungraded:
        explanation = _("年末在岗民政助理员%(total)s人，%(gap)s人未进行%(year)s年度考评：%(names)s") % {
            "total": total, "gap": len(ungraded), "year": year, "names": _listed(ungraded),
        }
    elif total:
        explanation = _("年末在岗民政助理员%(total)s人，均已评定%(year)s年度考评等次") % {"total": total, "year": year}
    else:
        explanation = _("%(year)s年末无在岗民政助理员") % {"year": year}
    return _result(
        ASSISTANTS_GRADED, status=Status.FAIL if ungraded else Status.PASS, required=total,
        actual=total - len(ungraded), gap=len(ungraded), unit=_("人"), explanation=explanation, fix_url=GRADES_URL,
        basis={_("年度"): year, _("年末在岗民政助理员"): total, _("未考评"): "、".join(ungraded)},
    )


def replacement_due(year, assessed_on):
    """The day by which an assistant graded 不称职 for `year` must have left the post."""
    return max(year_end(year), assessed_on) if assessed_on else year_end(year)


def still_in_post_after(end_date, day):
    return end_date is None or end_date > day


def incompetent_replaced(assistants, *, year, today, graded_management):
    """Assistants graded 不称职 have left the post by the replacement day (应及时调整)."""
    if not graded_management:
        return not_assessed(INCOMPETENT_REPLACED, Dimension.OVERSIGHT, title(INCOMPETENT_REPLACED))
    incompetent = [a for a in assistants if a.grade == AssistantGrade.INCOMPETENT]
    due = [a for a in incompetent if replacement_due(year, a.assessed_on) < today]
    staying = [a.label for a in due if still_in_post_after(a.end_date, replacement_due(year, a.assessed_on))]
    pending = len(incompetent) - len(due)
    if staying:
        explanation = _("%(year)s年度考评不称职%(total)s人，%(gap)s人仍在岗，应及时调整：%(names)s") % {
            "year": year, "total": len(incompetent), "gap": len(staying), "names": _listed(staying),
        }
    elif incompetent:
        explanation = _("%(year)s年度考评不称职%(total)s人，%(done)s人已调整，%(pending)s人尚在调整期限内") % {
            "year": year, "total": len(incompetent), "done": len(due), "pending": pending,
        }
    else:
        explanation = _("%(year)s年度考评无不称职民政助理员") % {"year": year}
    return _result(
        INCOMPETENT_REPLACED, status=Status.FAIL if staying else Status.PASS, required=len(due),
        actual=len(due) - len(staying), gap=len(staying), unit=_("人"), explanation=explanation,
        fix_url="staffing:assistant_list",
        basis={_("年度"): year, _("考评不称职"): len(incompetent), _("仍在岗"): "、".join(staying),
               _("尚在调整期限内"): pending},
    )


def subsidy_by_grade(assistants, *, year, today, monthly_subsidy, factors):
    """Each graded assistant got ≥ monthly × months in post × factor(grade) in every ended quarter."""
    if not monthly_subsidy or not factors:
        return not_assessed(SUBSIDY_BY_GRADE, Dimension.OVERSIGHT, title(SUBSIDY_BY_GRADE))
    quarters = funding_rules.judged_quarters(year, today)
    total_required = total_paid = funding_rules.ZERO
    shortfalls, shortfall_grades = [], []  # the funding shortfalls and the label of each one's grade
    graded = [a for a in assistants if a.grade is not None and a.grade in factors]
    by_grade = {}
    for a in graded:
        by_grade.setdefault(a.grade, []).append(a)
    payments = {(a.assistant_id, q): amount for a in graded for q, amount in a.payments.items()}
    for grade, factor in factors.items():
        group = by_grade.get(grade)
        if not group:
            continue
        # An AssistantRecord has the attributes of an AssistantTerm: the funding arithmetic takes it as is.
        required, paid, short = funding_rules.subsidy_shortfalls(
            group, payments, year=year, monthly_subsidy=Decimal(monthly_subsidy) * Decimal(str(factor)),
            quarters=quarters,
        )
        total_required += required
        total_paid += paid
        shortfalls += short
        shortfall_grades += [str(AssistantGrade(grade).label)] * len(short)
    gap = sum((s.gap for s in shortfalls), funding_rules.ZERO)
    template = _("%(what)s（%(grade)s）")
    described = [
        template % {"what": what, "grade": grade}
        for what, grade in zip(funding_rules.describe_shortfalls(shortfalls), shortfall_grades)
    ]
    if not quarters:
        explanation = _("%(year)s年尚无已结束的季度") % {"year": year}
    elif shortfalls:
        explanation = _("按考评等次应发补助%(required)s元，%(count)s人次发放不足，共差%(gap)s元：%(items)s") % {
            "required": format_number(total_required), "count": len(shortfalls), "gap": format_number(gap),
            "items": _listed(described),
        }
    else:
        explanation = _("已考评的%(count)s名民政助理员均按考评等次足额发放补助（应发%(required)s元，实发%(paid)s元）") % {
            "count": len(graded), "required": format_number(total_required), "paid": format_number(total_paid),
        }
    known_grades = set(AssistantGrade.values)
    return _result(
        SUBSIDY_BY_GRADE, status=Status.FAIL if shortfalls else Status.PASS, required=total_required,
        actual=total_paid, gap=gap, unit=_("元"), explanation=explanation, fix_url=funding_rules.SUBSIDIES_URL,
        basis={
            _("年度"): year,
            _("每月补助下限（元）"): format_number(Decimal(monthly_subsidy)),
            _("考评等次系数"): "、".join(f"{AssistantGrade(g).label}{f}" for g, f in factors.items()
                                     if g in known_grades),
            _("评估季度"): "、".join(funding_rules.quarter_label(q) for q in quarters),
            _("未考评（不计入本项）"): sum(1 for a in assistants if a.grade is None),
            _("发放不足"): "；".join(described),
        },
    )


def overdue(inspection, as_of):
    """The deadline has passed before `as_of` and the findings were not rectified by then."""
    return inspection.deadline < as_of and (inspection.rectified_on is None or inspection.rectified_on > as_of)


def rectification(inspections, *, year, as_of):
    """No inspection finding is past its rectification deadline without being rectified."""
    due = [i for i in inspections if i.deadline < as_of]
    late = [i for i in due if overdue(i, as_of)]
    labels = [
        _("%(level)s检查（%(date)s，整改期限%(deadline)s）") % {
            "level": i.level_label, "date": i.date.isoformat(), "deadline": i.deadline.isoformat(),
        }
        for i in late
    ]
    if late:
        explanation = _("截至%(as_of)s，%(count)s项检查发现的问题逾期未整改：%(items)s") % {
            "as_of": as_of.isoformat(), "count": len(late), "items": _listed(labels),
        }
    elif due:
        explanation = _("截至%(as_of)s，到期的%(count)s项检查整改均已完成") % {"as_of": as_of.isoformat(), "count": len(due)}
    else:
        explanation = _("截至%(as_of)s，无到期的检查整改事项") % {"as_of": as_of.isoformat()}
    return _result(
        RECTIFICATION, status=Status.FAIL if late else Status.PASS, required=len(due), actual=len(due) - len(late),
        gap=len(late), unit=_("项"), explanation=explanation, fix_url=INSPECTIONS_URL,
        basis={_("年度"): year, _("评估日期"): as_of.isoformat(), _("检查次数"): len(inspections),
               _("到期整改事项"): len(due), _("逾期未整改"): "；".join(labels)},
    )


def satisfaction(survey, *, year):
    """A tracked figure: the year's satisfaction score; the standard sets no pass mark."""
    if survey is None:
        explanation = _("未录入%(year)s年度群众满意度测评结果；该标准未设达标线，仅作跟踪。") % {"year": year}
        return _result(SATISFACTION, status=Status.NOT_ASSESSED, required=None, actual=None, gap=None, unit=_("分"),
                       explanation=explanation, fix_url=RECORDS_URL, basis={_("年度"): year})
    sample_size, score = survey
    explanation = _("%(year)s年度群众满意度测评得分%(score)s分（样本%(n)s份）；该标准未设达标线，仅作跟踪。") % {
        "year": year, "score": format_number(score), "n": format_number(sample_size),
    }
    return _result(SATISFACTION, status=Status.NOT_ASSESSED, required=None, actual=score, gap=None, unit=_("分"),
                   explanation=explanation, fix_url=RECORDS_URL,
                   basis={_("年度"): year, _("满意度得分"): score, _("样本量（份）"): sample_size})


def service_contracts(contracts, *, year):
    """A tracked figure: services bought from social organisations in force during the year.

    `contracts` is a list of (provider, area label, amount).
    """
    total = sum((amount for _p, _a, amount in contracts), Decimal("0.00"))
    areas = sorted({area for _p, area, _m in contracts})
    if contracts:
        explanation = _("%(year)s年度购买服务合同%(count)s份，金额合计%(total)s元，涉及%(areas)s；仅作跟踪。") % {
            "year": year, "count": len(contracts), "total": format_number(total), "areas": "、".join(areas),
        }
    else:
        explanation = _("%(year)s年度未登记政府购买服务合同；仅作跟踪。") % {"year": year}
    return _result(
        SERVICE_CONTRACTS, status=Status.NOT_ASSESSED, required=None, actual=len(contracts), gap=None, unit=_("份"),
        explanation=explanation, fix_url=RECORDS_URL,
        basis={_("年度"): year, _("合同份数"): len(contracts), _("金额合计（元）"): total,
               _("服务领域"): "、".join(areas), _("承接机构"): "、".join(sorted({p for p, _a, _m in contracts}))},
    )
