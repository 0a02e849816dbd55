"""The supervision rules at every boundary, with plain values only (the engine where a standard leaves one out)."""
import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from offices.compliance import LEFT_OUT, Status, TownshipContext
from offices.models import Standard
from supervision import compliance, rules
from supervision.rules import AssistantRecord, FindingRecord, InspectionRecord

D = datetime.date
AFTER_2025 = D(2026, 3, 1)  # "today" once 2025 is over
FACTORS = {"excellent": "1.00", "competent": "1.00", "basic": "0.80", "incompetent": "0"}


def assistant(pk=1, *, start=D(2020, 1, 1), end=None, grade="competent", assessed_on=D(2026, 1, 10), payments=None,
              name="张三"):
    return AssistantRecord(pk, name, "东村", start, end, grade, assessed_on if grade else None, payments or {})


def test_assessment_date_is_year_end_or_today():
    assert rules.assessment_date(2025, D(2026, 3, 1)) == D(2025, 12, 31)
    assert rules.assessment_date(2025, D(2025, 7, 1)) == D(2025, 7, 1)


# --- assistants graded ----------------------------------------------------------------------------------------


def test_every_assistant_in_post_at_year_end_needs_a_grade():
    graded = assistant(1)
    ungraded = assistant(2, grade=None, name="李四")
    left_before_year_end = assistant(3, grade=None, end=D(2025, 12, 30), name="王五")
    left_on_year_end = assistant(4, grade=None, end=D(2025, 12, 31), name="赵六")
    result = rules.assistants_graded([graded, ungraded, left_before_year_end, left_on_year_end], year=2025,
                                     today=AFTER_2025)
    assert result.failed and (result.required, result.actual, result.gap) == (3, 1, 2)
    assert "李四（东村）" in result.explanation and "赵六（东村）" in result.explanation
    assert "王五" not in result.explanation
    assert result.fix_url == "supervision:grades"


def test_grades_not_due_while_the_year_runs():
    result = rules.assistants_graded([assistant(grade=None)], year=2025, today=D(2025, 12, 31))
    assert result.status == Status.NOT_ASSESSED
    assert rules.assistants_graded([assistant(grade=None)], year=2025, today=D(2026, 1, 1)).failed


def evaluated(standard, assistants=(), today=AFTER_2025):
    """The engine's results for one township under `standard`, by code."""
    context = TownshipContext(1, "371302001000", "兰山街道", 2025, standard, 60_000, today=today)
    inputs = compliance.SupervisionInputs(assistants=list(assistants))
    return {r.code: r for r in compliance.evaluate(inputs, context)}


def test_grade_rules_not_assessed_without_graded_management():
    standard = Standard(grade_subsidy_factors=None, assistant_monthly_subsidy=Decimal("60.00"))
    results = evaluated(standard, [assistant()])
    for spec in (rules.ASSISTANTS_GRADED, rules.INCOMPETENT_REPLACED):
        assert not spec.applies(standard)
        assert results[spec.code].status == Status.NOT_ASSESSED
        assert results[spec.code].explanation == str(LEFT_OUT)


# --- incompetent replaced -------------------------------------------------------------------------------------


def test_incompetent_must_leave_by_the_later_of_year_end_and_assessment_date():
    assessed = D(2026, 1, 10)
    left_on_day = assistant(1, grade="incompetent", assessed_on=assessed, end=assessed)
    left_day_after = assistant(2, grade="incompetent", assessed_on=assessed, end=D(2026, 1, 11), name="李四")
    still = assistant(3, grade="incompetent", assessed_on=assessed, name="王五")
    result = rules.incompetent_replaced([left_on_day, left_day_after, still], year=2025, today=AFTER_2025)
    assert result.failed and (result.required, result.actual, result.gap) == (3, 1, 2)
    assert "应及时调整" in result.explanation and "王五（东村）" in result.explanation


def test_incompetent_assessed_within_the_year_must_leave_by_year_end():
    assert rules.replacement_due(2025, D(2025, 12, 20)) == D(2025, 12, 31)
    on_year_end = assistant(grade="incompetent", assessed_on=D(2025, 12, 20), end=D(2025, 12, 31))
    assert rules.incompetent_replaced([on_year_end], year=2025, today=AFTER_2025).passed


def test_incompetent_not_a_finding_before_the_replacement_day():
    still = assistant(grade="incompetent", assessed_on=D(2026, 1, 10))
    assert rules.incompetent_replaced([still], year=2025, today=D(2026, 1, 10)).passed
    assert rules.incompetent_replaced([still], year=2025, today=D(2026, 1, 11)).failed


def test_no_incompetent_passes():
    result = rules.incompetent_replaced([assistant()], year=2025, today=AFTER_2025)
    assert result.passed and "无不称职" in result.explanation


# --- subsidy by grade -----------------------------------------------------------------------------------------


def full_year(amount):
    return {q: Decimal(amount) for q in (1, 2, 3, 4)}


def test_subsidy_minimum_follows_the_grade_factor():
    basic_paid_144 = assistant(1, grade="basic", payments=full_year("144.00"))  # 180 × 0.8
    basic_paid_143 = assistant(2, grade="basic", payments={**full_year("144.00"), 3: Decimal("143.99")}, name="李四")
    incompetent_unpaid = assistant(3, grade="incompetent")
    ungraded_unpaid = assistant(4, grade=None)
    result = rules.subsidy_by_grade([basic_paid_144, basic_paid_143, incompetent_unpaid, ungraded_unpaid], year=2025,
                                    today=AFTER_2025, monthly_subsidy=Decimal("60.00"), factors=FACTORS)
    assert result.failed and result.gap == Decimal("0.01")
    assert "李四" in result.explanation and "第三季度" in result.explanation and "基本称职" in result.explanation
    assert result.required == Decimal("1152.00")  # 2 × 4 × 144; factor 0 requires nothing


def test_subsidy_counts_months_in_post_and_ended_quarters_only():
    # Started 15 May: Q2 has two months due (May, June) = 120.
    newcomer = assistant(start=D(2025, 5, 15), payments={2: Decimal("120.00")})
    assert rules.subsidy_by_grade([newcomer], year=2025, today=D(2025, 7, 1), monthly_subsidy=Decimal("60.00"),
                                  factors=FACTORS).passed
    # On 30 June the second quarter is not over yet: only the first (paid) is judged.
    unpaid = assistant(start=D(2025, 1, 1), payments={1: Decimal("180.00")})
    assert rules.subsidy_by_grade([unpaid], year=2025, today=D(2025, 6, 30), monthly_subsidy=Decimal("60.00"),
                                  factors=FACTORS).passed
    assert rules.subsidy_by_grade([unpaid], year=2025, today=D(2025, 7, 1), monthly_subsidy=Decimal("60.00"),
                                  factors=FACTORS).failed


def test_subsidy_not_assessed_without_parameters():
    for monthly, factors in ((None, FACTORS), (Decimal("60"), None), (Decimal("60"), {})):
        standard = Standard(assistant_monthly_subsidy=monthly, grade_subsidy_factors=factors)
        assert not rules.SUBSIDY_BY_GRADE.applies(standard)
        result = evaluated(standard, [assistant()])[rules.SUBSIDY_BY_GRADE.code]
        assert result.status == Status.NOT_ASSESSED and result.explanation == str(LEFT_OUT)


# --- rectification --------------------------------------------------------------------------------------------


def inspection(deadline, rectified_on=None):
    """An inspection of 1 March 2025 with one finding."""
    return InspectionRecord(D(2025, 3, 1), "县级", (FindingRecord(1, deadline, rectified_on),))


def finding(record):
    return record.findings[0]


def test_rectification_deadline_boundaries():
    as_of = D(2025, 12, 31)
    deadline_today = inspection(D(2025, 12, 31))
    deadline_yesterday = inspection(D(2025, 12, 30))
    rectified_by_as_of = inspection(D(2025, 6, 30), D(2025, 12, 31))
    rectified_after_as_of = inspection(D(2025, 6, 30), D(2026, 1, 1))
    assert not rules.overdue(finding(deadline_today), as_of)
    assert rules.overdue(finding(deadline_yesterday), as_of)
    assert not rules.overdue(finding(rectified_by_as_of), as_of)
    assert rules.overdue(finding(rectified_after_as_of), as_of)
    result = rules.rectification([deadline_today, deadline_yesterday, rectified_by_as_of, rectified_after_as_of],
                                 year=2025, as_of=as_of)
    assert result.failed and (result.required, result.actual, result.gap) == (3, 1, 2)
    assert result.fix_url == "supervision:township_inspections"


def test_no_inspection_passes():
    result = rules.rectification([], year=2025, as_of=D(2025, 12, 31))
    assert result.passed and result.gap == 0


@given(deadline=st.dates(D(2024, 1, 1), D(2026, 12, 31)), rectified=st.one_of(st.none(), st.dates(D(2024, 1, 1),
       D(2026, 12, 31))), as_of=st.dates(D(2025, 1, 1), D(2025, 12, 31)))
def test_overdue_property(deadline, rectified, as_of):
    expected = deadline < as_of and not (rectified is not None and rectified <= as_of)
    assert rules.overdue(FindingRecord(1, deadline, rectified), as_of) is expected


# --- tracked figures ------------------------------------------------------------------------------------------


def test_satisfaction_is_tracked_not_judged():
    result = rules.satisfaction((300, Decimal("91.50")), year=2025)
    assert result.status == Status.NOT_ASSESSED and result.actual == Decimal("91.50")
    assert "91.5" in result.explanation and "样本300份" in result.explanation
    missing = rules.satisfaction(None, year=2025)
    assert missing.status == Status.NOT_ASSESSED and "未录入2025年度" in missing.explanation


def test_contracts_are_tracked_not_judged():
    result = rules.service_contracts([("甲社工中心", "养老服务", Decimal("100000.00")),
                                      ("乙协会", "社会救助", Decimal("50000.00"))], year=2025)
    assert result.status == Status.NOT_ASSESSED and result.actual == 2
    assert "150,000" in result.explanation
    assert result.basis["金额合计（元）"] == Decimal("150000.00")


# --- declarations -------------------------------------------------------------------------------------------


def test_rules_are_declared_once_in_the_supervision_dimension():
    assert [spec.code for spec in rules.RULES] == [
        "supervision.assistants_graded", "supervision.incompetent_replaced", "supervision.subsidy_by_grade",
        "supervision.rectification", "supervision.satisfaction", "supervision.service_contracts",
    ]
    assert {spec.dimension for spec in rules.RULES} == {"supervision"}
    assert set(compliance.DECIDERS) == {spec.code for spec in rules.RULES}
    # The county records inspections and confirms their rectification; the township fixes everything else.
    assert {spec.code: spec.fixed_by for spec in rules.RULES if spec.fixed_by != "township"} == {
        "supervision.rectification": "county"}


def test_findings_name_every_thing_behind_them():
    ungraded = [assistant(pk, grade=None, name=f"助理{pk:02}") for pk in range(12)]
    result = rules.assistants_graded(ungraded, year=2025, today=AFTER_2025)
    assert len(result.items) == 12 and result.items[0] == "助理00（东村）"
    assert "等12人" in result.explanation  # the explanation lists ten, the items all of them
    late = inspection(D(2025, 6, 30))
    result = rules.rectification([late], year=2025, as_of=D(2025, 12, 31))
    assert result.items == (late.label(finding(late)),) and result.fixed_by == "county"
    assert result.items == ("县级检查（2025-03-01）第1项问题（整改期限2025-06-30）",)


def test_inspections_after_the_day_judged_on_are_not_counted_yet():
    ahead = InspectionRecord(D(2025, 8, 1), "县级", (FindingRecord(1, D(2025, 8, 31)),))
    result = rules.rectification([ahead], year=2025, as_of=D(2025, 7, 15))
    assert result.passed and result.basis["检查次数"] == 0


def test_each_finding_counts_and_an_inspection_is_rectified_when_all_its_findings_are():
    as_of = D(2025, 12, 31)
    half_done = InspectionRecord(D(2025, 3, 1), "市级", (
        FindingRecord(1, D(2025, 4, 30), D(2025, 4, 20)), FindingRecord(2, D(2025, 5, 31)),
    ))
    clean = InspectionRecord(D(2025, 6, 1), "县级")
    result = rules.rectification([half_done, clean], year=2025, as_of=as_of)
    assert result.failed and (result.required, result.actual, result.gap) == (2, 1, 1)
    assert result.items == ("市级检查（2025-03-01）第2项问题（整改期限2025-05-31）",)
    assert result.basis["检查次数"] == 2 and result.basis["其中未发现问题"] == 1
    assert result.basis["发现问题（项）"] == 2


def test_a_clean_inspection_has_nothing_to_rectify():
    result = rules.rectification([InspectionRecord(D(2025, 3, 1), "县级")], year=2025, as_of=D(2025, 12, 31))
    assert result.passed and (result.required, result.gap) == (0, 0)
    assert "无到期的检查整改事项" in result.explanation
