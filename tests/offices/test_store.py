"""The stored results: what the engine writes, what the services keep current, what readers get back."""
import datetime
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from facilities import services as facilities_services
from facilities.rules import EquipmentLine
from funding import services as funding_services
from offices import services as offices_services
from offices.compliance import store
from offices.compliance.engine import compliance_for
from offices.models import ComplianceGapItem, ComplianceResult, ComplianceSummary, Job, Township
from regulations import services as regulations_services
from staffing import services as staffing_services
from supervision import services as supervision_services
from tests.factories.facilities import EquipmentFactory, RoomFactory
from tests.factories.offices import PopulationFactory, StandardFactory, VillageFactory
from tests.factories.regulations import PDF_BYTES
from tests.factories.staffing import AuthorizedPostsFactory, StaffMemberFactory, VillageAssistantFactory
from tests.store import fill_store

pytestmark = pytest.mark.django_db

YEARS = (2024, 2025)


# --- Encoding ------------------------------------------------------------------------------------------------------

values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8)
    | st.decimals(allow_nan=False, allow_infinity=False, places=2) | st.dates(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=12,
)


@given(values)
def test_encoding_round_trips_every_value_a_rule_gives(value):
    assert store.decode(store.encode(value)) == value


def test_dict_order_survives_a_jsonb_round_trip():
    """PostgreSQL's jsonb sorts keys; a rule's basis is shown in the order the rule gave it."""
    basis = {"常住人口": 1, "编制": 2, "在岗": 3}
    encoded = store.encode(basis)
    assert list(store.decode({"$map": list(encoded["$map"])})) == ["常住人口", "编制", "在岗"]


def test_records_in_items_keep_their_class():
    line = EquipmentLine(kind="printer", label="打印机", count=0, missing=True)
    assert store.decode(store.encode((line,))) == [line]


def test_a_stored_class_outside_the_rule_apps_is_refused():
    with pytest.raises(ValueError):
        store.decode({"$cls": "os:system", "f": {}})


# --- Writing and reading back ------------------------------------------------------------------------------------


@pytest.fixture
def data(township, other_township):
    """Two townships with data in both years, every app's inputs represented."""
    StandardFactory()
    for year in YEARS:
        PopulationFactory(township=township, year=year, resident=48_000)
        PopulationFactory(township=other_township, year=year, resident=70_000)
        AuthorizedPostsFactory(township=township, year=year, posts=3)
    StaffMemberFactory(township=township, director=True, start_date=datetime.date(2020, 1, 1))
    StaffMemberFactory(township=township, start_date=datetime.date(2021, 3, 1))
    RoomFactory(township=township, kind="office", area=Decimal("60.00"))
    EquipmentFactory(township=township, kind="telephone")
    village = VillageFactory(township=township)
    VillageAssistantFactory(village=village, start_date=datetime.date(2022, 1, 1))
    return township, other_township


def test_the_store_holds_what_the_engine_computes(data):
    fill_store(years=YEARS)
    for year in YEARS:
        assert store.differences(Township.objects.all(), year) == []
        live = compliance_for(Township.objects.all(), year)
        stored = store.stored_compliance(Township.objects.all(), year)
        assert [(c.township.code, c.status, [(r.code, r.status, r.explanation) for r in c.results]) for c in live] \
            == [(c.township.code, c.status, [(r.code, r.status, r.explanation) for r in c.results]) for c in stored]


def test_rows_carry_county_city_standard_and_numbers(data):
    township, _other = data
    fill_store(years=YEARS)
    summary = ComplianceSummary.objects.get(township=township, year=2025)
    assert (summary.county_id, summary.city_id) == (township.county_id, township.county.city_id)
    assert summary.standard is not None and len(summary.standard_version) == 12
    assert summary.failing_count == ComplianceResult.objects.filter(
        township=township, year=2025, status="fail").count()
    posts = ComplianceResult.objects.get(township=township, year=2025, code="staffing.posts_authorized")
    assert posts.required is not None and posts.actual == Decimal(3)


def test_a_failing_list_rule_stores_each_missing_item(data):
    township, _other = data
    fill_store(years=YEARS)
    missing = set(ComplianceGapItem.objects.filter(township=township, year=2025, code="facilities.equipment")
                  .values_list("label", flat=True))
    assert "打印机" in missing and "电话" not in missing


def test_each_language_is_stored_and_read_in_the_request_language(data):
    township, _other = data
    fill_store(years=YEARS)
    row = ComplianceResult.objects.get(township=township, year=2025, code="staffing.posts_authorized")
    assert set(row.texts) == {"zh-hans", "en"}
    with translation.override("en"):
        english = store.stored_township(township, 2025).result("staffing.posts_authorized")
    with translation.override("zh-hans"):
        chinese = store.stored_township(township, 2025).result("staffing.posts_authorized")
    assert chinese.title == "编制数"
    assert english.title != chinese.title and english.status == chinese.status


def test_a_year_never_stored_is_computed_on_first_read(data):
    township, _other = data
    assert not ComplianceSummary.objects.filter(year=2023).exists()
    card = store.stored_township(township, 2023)
    assert ComplianceSummary.objects.filter(township=township, year=2023).exists()
    assert card.status == compliance_for(Township.objects.filter(pk=township.pk), 2023)[0].status


def test_reading_many_townships_takes_a_fixed_number_of_queries(data, county, django_assert_num_queries):
    fill_store(years=YEARS)
    with django_assert_num_queries(3) as few:  # the check for missing years, the summaries, the results
        store.stored_compliance(Township.objects.all(), 2025)
    for n in range(20):
        PopulationFactory(township=Township.objects.create(county=county, code=f"371302{300 + n}000", name=f"镇{n}"),
                          year=2025)
    fill_store(years=YEARS)
    with django_assert_num_queries(len(few)):
        assert len(store.stored_compliance(Township.objects.all(), 2025)) == 22


def test_refresh_judges_again_on_a_later_day(data):
    township, _other = data
    store.recompute_all(years=[2025], today=datetime.date(2025, 2, 1))
    assert ComplianceSummary.objects.get(township=township, year=2025).as_of == datetime.date(2025, 2, 1)
    assert store.refresh(today=datetime.date(2025, 12, 1)) == 2
    assert set(ComplianceSummary.objects.values_list("as_of", flat=True)) == {datetime.date(2025, 12, 1)}
    assert store.differences(Township.objects.all(), 2025, today=datetime.date(2025, 12, 1)) == []
    assert store.refresh(today=datetime.date(2025, 12, 1)) == 0  # judged today already: nothing to do


def test_differences_name_what_is_stale(data):
    township, _other = data
    fill_store(years=YEARS)
    row = ComplianceResult.objects.get(township=township, year=2025, code="staffing.posts_authorized")
    ComplianceResult.objects.filter(pk=row.pk).update(status="fail" if row.status == "pass" else "pass",
                                                     gap=Decimal("99"))
    found = store.differences(Township.objects.all(), 2025)
    assert {(d.township, d.code, d.field) for d in found} >= {
        (township.code, "staffing.posts_authorized", "status"), (township.code, "staffing.posts_authorized", "gap")}


# --- Every service keeps the store current ------------------------------------------------------------------------


def _staff(township):
    return township.staff.order_by("pk").first()


def _regulation(township):
    """A regulation adopted through the service (a factory would drop the stored results)."""
    return regulations_services.regulation_create(
        township=township, kind="finance", title="财务收支制度", adopted_on=datetime.date(2020, 1, 1),
        file=ContentFile(PDF_BYTES, name="财务.pdf"))


def _inspected(township):
    """An inspection of 2025 with two findings, both late (recorded through the service: the store stays current)."""
    return supervision_services.inspection_create(
        township=township, level="county", date=datetime.date(2025, 3, 1), inspectors="县局",
        findings=[("台账不全", datetime.date(2025, 4, 1)), ("制度未上墙", datetime.date(2025, 5, 1))])


SERVICE_CALLS = {
    "population_set": lambda t: offices_services.population_set(township=t, year=2025, resident=90_000, confirmed=True,
                                                                registered=90_000),
    "office_update": lambda t: offices_services.office_update(township=t, name="兰山街道民政办公室",
                                                              setup="standalone"),
    "authorized_posts_set": lambda t: staffing_services.authorized_posts_set(township=t, year=2025, posts=6),
    "staff_create": lambda t: staffing_services.staff_create(
        township=t, name="新人", sex="female", birth_date=datetime.date(1990, 1, 1), education="bachelor",
        start_date=datetime.date(2023, 5, 1)),
    "staff_end": lambda t: staffing_services.staff_end(staff=_staff(t), end_date=datetime.date(2024, 6, 30)),
    "assistant_create": lambda t: staffing_services.assistant_create(
        village=t.villages.first(), name="助理", sex="male", birth_date=datetime.date(1985, 1, 1),
        education="secondary", role="full_time", start_date=datetime.date(2023, 1, 1)),
    "room_create": lambda t: facilities_services.room_create(township=t, kind="archive", name="档案室",
                                                             area=Decimal("20.00"), since_year=2020, confirmed=True),
    "room_delete": lambda t: facilities_services.room_delete(room=t.rooms.first(), confirmed=True),
    "equipment_create": lambda t: facilities_services.equipment_create(township=t, kind="printer", count=1,
                                                                       networked=False, since_year=2020),
    "equipment_delete": lambda t: facilities_services.equipment_delete(equipment=t.equipment.first()),
    "budget_set": lambda t: funding_services.budget_set(
        township=t, year=2025, lines={"working_funds": (Decimal("50000.00"), Decimal("50000.00"))}),
    "survey_set": lambda t: supervision_services.survey_set(township=t, year=2025, sample_size=30,
                                                            score=Decimal("92.0")),
    "inspection_create": lambda t: supervision_services.inspection_create(
        township=t, level="county", date=datetime.date(2025, 3, 1), inspectors="县局",
        findings=[("台账不全", datetime.date(2025, 4, 1)), ("制度未上墙", datetime.date(2025, 5, 1))]),
    "finding_rectify": lambda t: supervision_services.finding_rectify(
        finding=_inspected(t).findings.order_by("pk").first(), rectified_on=datetime.date(2025, 6, 1)),
    # Finance adopted in 2020, then retired or replaced in 2025: 2024 gains it either way, 2025 only when replaced.
    "regulation_retire": lambda t: regulations_services.regulation_retire(
        document=_regulation(t), retired_on=datetime.date(2025, 3, 1), reason="并入新制度"),
    "regulation_replace": lambda t: regulations_services.regulation_replace(
        document=_regulation(t), title="财务收支管理办法（修订）", adopted_on=datetime.date(2025, 3, 1),
        file=ContentFile(PDF_BYTES, name="修订.pdf")),
}


@pytest.mark.parametrize("call", SERVICE_CALLS, ids=list(SERVICE_CALLS))
def test_each_service_recomputes_what_it_touched(data, call):
    township, _other = data
    fill_store(years=YEARS)
    before = {(r.year, r.code): r.texts for r in ComplianceResult.objects.filter(township=township)}
    SERVICE_CALLS[call](township)
    for year in YEARS:
        assert store.differences(Township.objects.all(), year) == []
    after = {(r.year, r.code): r.texts for r in ComplianceResult.objects.filter(township=township)}
    assert after != before  # every call above changes something a rule says


def test_a_failed_service_call_leaves_the_store_as_it_was(data):
    township, _other = data
    fill_store(years=YEARS)
    before = list(ComplianceResult.objects.filter(township=township).values_list("pk", "computed_at"))
    with pytest.raises(Exception):
        offices_services.population_set(township=township, year=2025, resident=-1, registered=10)
    assert list(ComplianceResult.objects.filter(township=township).values_list("pk", "computed_at")) == before


def test_the_recompute_can_be_switched_off_for_the_benchmark(data, settings):
    township, _other = data
    fill_store(years=YEARS)
    settings.WUYOU_RECOMPUTE_ON_WRITE = False
    offices_services.population_set(township=township, year=2025, resident=90_000, registered=90_000, confirmed=True)
    assert store.differences(Township.objects.all(), 2025) != []


def test_a_batch_recomputes_each_township_once(data, django_assert_max_num_queries):
    township, _other = data
    fill_store(years=YEARS)
    with store.recompute_once():
        for posts in range(1, 6):
            staffing_services.authorized_posts_set(township=township, year=2025, posts=posts)
        assert store.differences(Township.objects.filter(pk=township.pk), 2025) != []  # not yet
    assert store.differences(Township.objects.all(), 2025) == []


# --- What many townships depend on: in the background ------------------------------------------------------------


def test_a_standard_changed_in_the_admin_recomputes_its_townships(data, admin_client):
    fill_store(years=YEARS)
    standard = StandardFactory._meta.model.objects.get(name="测试标准")
    offices_services.standard_save(standard=standard)  # unchanged: the same results
    standard.area_minimum = Decimal("500.00")
    job = offices_services.standard_save(standard=standard)
    job.refresh_from_db()
    assert (job.kind, job.state, job.percent) == (Job.Kind.RECOMPUTE, Job.State.DONE, 100)
    for year in YEARS:
        assert store.differences(Township.objects.all(), year) == []
    assert set(ComplianceResult.objects.filter(code="facilities.area", year=2025).values_list("status", flat=True)) \
        == {"fail"}


def test_a_village_added_in_the_admin_recomputes_its_township(data, admin_client):
    township, _other = data
    fill_store(years=YEARS)
    response = admin_client.post("/admin/offices/village/add/", {
        "code": "371302001999", "name": "新村村民委员会", "kind": "village", "township": township.pk})
    assert response.status_code == 302
    assert Job.objects.filter(kind=Job.Kind.RECOMPUTE, state=Job.State.DONE).exists()
    for year in YEARS:
        assert store.differences(Township.objects.all(), year) == []


def test_rule_inputs_are_read_only_in_the_admin(data, admin_client):
    township, _other = data
    room = township.rooms.first()
    assert admin_client.get(f"/admin/facilities/room/{room.pk}/change/").status_code == 200
    response = admin_client.post(f"/admin/facilities/room/{room.pk}/change/", {"name": "改", "area": "1"})
    assert response.status_code == 403
    assert admin_client.get("/admin/facilities/room/add/").status_code == 403


def test_the_admin_links_to_the_recompute_job(data, admin_client):
    township, _other = data
    response = admin_client.post("/admin/offices/village/add/", {
        "code": "371302001998", "name": "又一村村民委员会", "kind": "village", "township": township.pk}, follow=True)
    job = Job.objects.get()
    assert f'href="/jobs/{job.pk}/"' in response.content.decode()
    assert admin_client.get(f"/jobs/{job.pk}/").status_code == 200


def test_pages_are_compressed(data, client):
    from tests.factories.offices import UserFactory

    client.force_login(UserFactory(role="township", township=data[0]))
    response = client.get(f"/townships/{data[0].code}/scorecard/?year=2025", headers={"accept-encoding": "gzip"})
    assert response.status_code == 200 and response["Content-Encoding"] == "gzip"


def test_a_township_without_a_standard_is_stored_too(township):
    """No standard applies: every rule is 不评估; the row's standard column is written once (PostgreSQL refused twice)."""
    PopulationFactory(township=township, year=2001, resident=10_000)  # before any installed standard
    store.recompute([township.pk], [2001])
    summary = ComplianceSummary.objects.get(township=township, year=2001)
    assert summary.standard is None and summary.status == "not_assessed"
    assert store.differences(Township.objects.all(), 2001) == []
