"""regulations.required with plain values; the standard switching it off is the engine's business."""
from hypothesis import given
from hypothesis import strategies as st

from offices.compliance import LEFT_OUT, Status, TownshipContext
from offices.models import Standard
from offices.standards_catalog import LIYANG_2005, SHANDONG_DEFAULT
from offices.vocabulary import RegulationKind
from regulations import compliance, rules
from regulations.rules import required_regulations

SHANDONG = ["procedures", "post_responsibility", "service_commitment", "archives",
            "first_inquiry", "time_limit", "finance", "assessment_rewards"]


def test_all_adopted_passes():
    result = required_regulations(adopted_kinds=set(SHANDONG), required_kinds=SHANDONG, year=2025)
    assert result.passed and result.gap == [] and result.code == "regulations.required"
    assert result.dimension == "regulations"
    assert result.code == rules.REQUIRED_REGULATIONS.code and result.items == ()


def test_missing_listed_by_chinese_name():
    adopted = set(SHANDONG) - {"first_inquiry", "finance"}
    result = required_regulations(adopted_kinds=adopted, required_kinds=SHANDONG, year=2024)
    assert result.failed
    assert result.gap == ["首问负责", "财务收支"]
    assert result.explanation == "截至2024年底缺：首问负责、财务收支。"
    assert result.fix_url == "regulations:list"
    assert result.items == ("首问负责", "财务收支")
    assert result.unit == "items" and result.fixed_by == "township"


def test_extra_kinds_do_not_matter():
    assert required_regulations(adopted_kinds={"procedures", "finance"}, required_kinds=["procedures"], year=2025).passed


def test_standard_without_regulations_is_not_assessed():
    standard = Standard(**{**SHANDONG_DEFAULT, "required_regulations": []})
    assert not rules.REQUIRED_REGULATIONS.applies(standard)
    assert not rules.REQUIRED_REGULATIONS.applies(Standard(**LIYANG_2005))
    context = TownshipContext(township_id=1, code="371302001000", name="兰山街道", year=2025, standard=standard,
                              population=None)
    [result] = compliance.evaluate(set(), context)
    assert result.status == Status.NOT_ASSESSED
    assert result.explanation == str(LEFT_OUT)


@given(st.sets(st.sampled_from(RegulationKind.values)), st.sampled_from(RegulationKind.values))
def test_adopting_more_never_adds_a_finding(adopted, extra):
    before = required_regulations(adopted_kinds=adopted, required_kinds=SHANDONG, year=2025)
    after = required_regulations(adopted_kinds=adopted | {extra}, required_kinds=SHANDONG, year=2025)
    assert len(after.gap) <= len(before.gap)
    assert not (before.passed and after.failed)
