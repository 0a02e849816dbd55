"""The facilities rules at every boundary, with plain values."""
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from facilities import rules
from facilities.models import RECORDED_EQUIPMENT
from offices.compliance import Actor, Status, Unit
from offices.vocabulary import EquipmentKind

SHANDONG_ROOMS = [["office"], ["reception", "service_window"], ["archive"], ["storage"]]
SHANDONG_EQUIPMENT = [
    "telephone", "computer", "printer", "desk_chairs", "av_recorder", "archive_cabinet", "service_vehicle",
]
# (kind, networked, count) as gathered; "networked" only ever set on computers.
EQUIPMENT_ROW = st.sampled_from([kind for kind, _label in RECORDED_EQUIPMENT]).flatmap(
    lambda kind: st.tuples(
        st.just(kind), st.booleans() if kind == "computer" else st.just(False), st.integers(min_value=1, max_value=9)
    )
)
PER_10K, MINIMUM = Decimal("20.00"), Decimal("80.00")


class TestRequiredArea:
    @pytest.mark.parametrize(
        ("population", "required"),
        [(1, "80"), (40_000, "80"), (40_001, "80.002"), (50_000, "100"), (100_000, "200"), (123_457, "246.914")],
    )
    def test_default_standard(self, population, required):
        assert rules.required_area(population, PER_10K, MINIMUM) == Decimal(required)

    def test_liyang_sets_only_the_minimum(self):
        assert rules.required_area(None, None, Decimal("40.00")) == Decimal("40")
        assert rules.required_area(500_000, None, Decimal("40.00")) == Decimal("40")

    def test_per_10k_without_minimum(self):
        assert rules.required_area(10_000, PER_10K, None) == Decimal("20")

    def test_neither_parameter_is_not_assessed(self):
        assert rules.required_area(100_000, None, None) is None

    def test_per_10k_needs_a_population(self):
        assert rules.required_area(None, PER_10K, MINIMUM) is None

    @given(st.integers(min_value=1, max_value=2_000_000), st.integers(min_value=0, max_value=100_000))
    def test_larger_population_never_lowers_required_area(self, population, extra):
        assert rules.required_area(population + extra, PER_10K, MINIMUM) >= rules.required_area(
            population, PER_10K, MINIMUM
        )


class TestAreaRule:
    def rule(self, total, population, per_10k=PER_10K, minimum=MINIMUM):
        return rules.area_rule(total_area=Decimal(total), population=population, per_10k=per_10k, minimum=minimum,
                               year=2025)

    def test_exactly_enough_passes(self):
        result = self.rule("200.00", 100_000)
        assert result.status == Status.PASS and result.gap == 0 and result.required == Decimal("200")

    def test_one_cent_short_fails_with_the_gap(self):
        result = self.rule("199.99", 100_000)
        assert result.status == Status.FAIL
        assert result.gap == Decimal("0.01")
        assert result.explanation == "办公服务用房应不少于200㎡，实有199.99㎡，缺0.01㎡。"
        assert result.fix_url == "facilities:rooms" and result.code == "facilities.area"

    def test_minimum_applies_to_small_townships(self):
        assert self.rule("80.00", 40_000).passed
        failed = self.rule("80.00", 40_001)
        assert failed.failed and failed.gap == Decimal("0.002")
        assert "80.002㎡" in failed.explanation

    def test_liyang_standard_needs_40(self):
        assert self.rule("40.00", None, per_10k=None, minimum=Decimal("40.00")).passed
        result = self.rule("39.50", None, per_10k=None, minimum=Decimal("40.00"))
        assert result.failed and result.required == Decimal("40") and result.gap == Decimal("0.50")

    def test_missing_population_fails_and_says_what_to_enter(self):
        result = self.rule("500.00", None)
        assert result.failed
        assert "未录入2025年度常住人口" in result.explanation
        assert result.fix_url == "offices:population_edit"

    def test_no_rooms_at_all(self):
        result = self.rule("0", 10_000)
        assert result.failed and result.gap == Decimal("80")


class TestRoomsRule:
    def test_all_groups_present(self):
        result = rules.rooms_rule(room_kinds={"office", "service_window", "archive", "storage"},
                                  required_groups=SHANDONG_ROOMS)
        assert result.passed and result.gap == []

    def test_missing_groups_named_in_chinese(self):
        result = rules.rooms_rule(room_kinds={"office", "other"}, required_groups=SHANDONG_ROOMS)
        assert result.failed
        assert result.gap == ["群众接待室或服务窗口", "档案室", "物资储备室"]
        assert result.explanation == "缺：群众接待室或服务窗口、档案室、物资储备室。"

    def test_either_reception_or_window(self):
        for kind in ("reception", "service_window"):
            assert rules.rooms_rule(room_kinds={"office", kind, "archive", "storage"},
                                    required_groups=SHANDONG_ROOMS).passed


class TestEquipmentRule:
    def test_complete(self):
        result = rules.equipment_rule(counts={k: 1 for k in SHANDONG_EQUIPMENT}, required_kinds=SHANDONG_EQUIPMENT)
        assert result.passed and result.dimension == "equipment" and result.code == "facilities.equipment"

    def test_names_each_missing_item(self):
        counts = {k: 2 for k in SHANDONG_EQUIPMENT if k not in ("av_recorder", "service_vehicle")}
        result = rules.equipment_rule(counts=counts, required_kinds=SHANDONG_EQUIPMENT)
        assert result.failed
        assert result.explanation == "缺：影录设备、联系服务群众专用车。"

    def test_only_networked_computers_count(self):
        counts = rules.equipment_counts([("computer", False, 3), ("printer", False, 1)])
        assert "computer" not in counts
        result = rules.equipment_rule(counts=counts, required_kinds=["computer", "printer"])
        assert result.failed and result.gap == ["电脑（可联网）"]
        counts = rules.equipment_counts([("computer", False, 3), ("computer", True, 1)])
        assert counts == {"computer": 1, "computer_any": 4}

    def test_liyang_list(self):
        liyang = ["computer", "air_conditioner", "fax", "printer"]
        result = rules.equipment_rule(counts={"computer": 1, "printer": 1}, required_kinds=liyang)
        assert result.gap == ["空调", "传真机"]

    def test_any_computer_counts_a_computer_that_cannot_go_online(self):
        counts = rules.equipment_counts([("computer", False, 2), ("printer", False, 1)])
        liyang = ["computer_any", "air_conditioner", "fax", "printer"]
        result = rules.equipment_rule(counts=counts, required_kinds=liyang)
        assert result.gap == ["空调", "传真机"] and "电脑" in result.actual
        networked = rules.equipment_rule(counts=counts, required_kinds=["computer", "printer"])
        assert networked.gap == ["电脑（可联网）"]

    def test_lines_say_what_counts_and_what_does_not(self):
        counts = rules.equipment_counts([("computer", False, 2), ("computer", True, 1)])
        result = rules.equipment_rule(counts=counts, required_kinds=["computer", "computer_any", "fax"])
        lines = {line.kind: line for line in result.items}
        assert (lines["computer"].count, lines["computer"].not_counted, lines["computer"].missing) == (1, 2, False)
        assert (lines["computer_any"].count, lines["computer_any"].not_counted) == (3, 0)
        assert lines["fax"].missing and [str(line) for line in result.items] == result.required
        assert result.basis == {"电脑（可联网）": 1, "电脑": 3, "传真机": 0}

    @given(st.lists(EQUIPMENT_ROW))
    def test_any_computer_is_never_harder_than_a_networked_one(self, rows):
        counts = rules.equipment_counts(rows)
        if rules.equipment_rule(counts=counts, required_kinds=["computer"]).passed:
            assert rules.equipment_rule(counts=counts, required_kinds=["computer_any"]).passed

    @given(
        st.lists(EQUIPMENT_ROW),
        EQUIPMENT_ROW,
        st.lists(st.sampled_from(EquipmentKind.values), unique=True),
    )
    def test_adding_equipment_never_turns_a_pass_into_a_fail(self, rows, extra, required):
        before = rules.equipment_rule(counts=rules.equipment_counts(rows), required_kinds=required)
        after = rules.equipment_rule(counts=rules.equipment_counts(rows + [extra]), required_kinds=required)
        if before.passed:
            assert after.passed
        assert set(after.gap or []) <= set(before.gap or [])


class TestVillageStationsRule:
    def test_all_have_space(self):
        assert rules.village_stations_rule(villages=[("甲村", True), ("乙社区", True)]).passed

    def test_counts_and_names_lacking(self):
        result = rules.village_stations_rule(villages=[("甲村", True), ("乙村", False), ("丙村", False)])
        assert result.failed and result.gap == 2 and result.required == 3 and result.actual == 1
        assert result.explanation == "3个村（社区）中有2个没有工作站办公场所：乙村、丙村。"

    def test_names_at_most_ten(self):
        villages = [(f"村{n}", False) for n in range(12)]
        result = rules.village_stations_rule(villages=villages)
        assert "村9等" in result.explanation and "村10" not in result.explanation and result.gap == 12


class TestNamingRule:
    def rule(self, office, stations):
        return rules.naming_rule(township_name="兰山街道", office_name=office, stations=stations)

    def test_all_by_convention(self):
        assert self.rule("兰山街道民政办公室", [("甲村", "甲村民政工作站")]).passed

    def test_wrong_office_name(self):
        result = self.rule("兰山街道民政所", [("甲村", "甲村民政工作站")])
        assert result.failed and result.fix_url == "offices:office_edit"
        assert "“兰山街道民政所”应为“兰山街道民政办公室”" in result.explanation

    def test_missing_office_and_station_count(self):
        result = self.rule(None, [("甲村", None), ("乙社区", "乙社区便民服务站")])
        assert result.failed and result.gap == 3
        assert "未登记民政办公室" in result.explanation
        assert "甲村未设民政工作站（应为“甲村民政工作站”）" in result.explanation
        assert "“乙社区便民服务站”应为“乙社区民政工作站”" in result.explanation

    def test_station_only_points_to_stations_page(self):
        result = self.rule("兰山街道民政办公室", [("甲村", "甲村工作站")])
        assert result.fix_url == "facilities:stations"



class TestDeclarations:
    def test_every_rule_is_declared_once_in_display_order(self):
        assert [spec.code for spec in rules.RULES] == [
            "facilities.area", "facilities.rooms", "facilities.village_stations", "facilities.naming",
            "facilities.equipment",
        ]

    def test_units_are_the_enum(self):
        assert {spec.code: spec.unit for spec in rules.RULES} == {
            "facilities.area": Unit.SQUARE_METRES, "facilities.rooms": Unit.ITEMS,
            "facilities.village_stations": Unit.PLACES, "facilities.naming": Unit.PLACES,
            "facilities.equipment": Unit.ITEMS,
        }
        result = rules.rooms_rule(room_kinds=set(), required_groups=[["office"]])
        assert result.unit == Unit.ITEMS and result.title == "必设功能室" and result.fixed_by == Actor.TOWNSHIP
