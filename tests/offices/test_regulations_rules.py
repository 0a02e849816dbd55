"""regulations.required with plain values."""
from hypothesis import given
from hypothesis import strategies as st

from offices.compliance import Status
from offices.rules import regulations_rule
from offices.vocabulary import RegulationKind

SHANDONG = ["procedures", "post_responsibility", "service_commitment", "archives",
            "first_inquiry", "time_limit", "finance", "assessment_rewards"]


def test_all_adopted_passes():
    result = regulations_rule(adopted_kinds=set(SHANDONG), required_kinds=SHANDONG, year=2025)
    assert result.passed and result.gap == [] and result.code == "regulations.required"
    assert result.dimension == "regulations"


def test_missing_listed_by_chinese_name():
    adopted = set(SHANDONG) - {"first_inquiry", "finance"}
    result = regulations_rule(adopted_kinds=adopted, required_kinds=SHANDONG, year=2024)
    assert result.failed
    assert result.gap == ["首问负责", "财务收支"]
    assert result.explanation == "截至2024年底缺：首问负责、财务收支。"
    assert result.fix_url == "offices:regulations"


def test_extra_kinds_do_not_matter():
    assert regulations_rule(adopted_kinds={"procedures", "finance"}, required_kinds=["procedures"], year=2025).passed


def test_standard_without_regulations_is_not_assessed():
    assert regulations_rule(adopted_kinds=set(), required_kinds=[], year=2025).status == Status.NOT_ASSESSED


@given(st.sets(st.sampled_from(RegulationKind.values)), st.sampled_from(RegulationKind.values))
def test_adopting_more_never_adds_a_finding(adopted, extra):
    before = regulations_rule(adopted_kinds=adopted, required_kinds=SHANDONG, year=2025)
    after = regulations_rule(adopted_kinds=adopted | {extra}, required_kinds=SHANDONG, year=2025)
    assert len(after.gap) <= len(before.gap)
    assert not (before.passed and after.failed)
