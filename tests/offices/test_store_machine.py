"""Random sequences of service calls: after every step the store equals the live computation."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from facilities import services as facilities_services
from funding import services as funding_services
from offices import services as offices_services
from offices.compliance import store
from offices.models import Township
from regulations import services as regulations_services
from staffing import services as staffing_services
from supervision import services as supervision_services
from supervision.models import InspectionFinding
from tests.factories.offices import PopulationFactory, StandardFactory, VillageFactory
from tests.factories.regulations import PDF_BYTES
from tests.store import fill_store

YEARS = (2024, 2025)
years = st.sampled_from(YEARS)
days = st.dates(min_value=datetime.date(2023, 1, 1), max_value=datetime.date(2025, 12, 31))


class ServiceCalls(RuleBasedStateMachine):
    """One township (and a neighbour that must never change), written only through the services."""

    def __init__(self):
        super().__init__()
        self.savepoint = transaction.savepoint()
        township, neighbour = Township.objects.order_by("code")[:2]
        self.township, self.neighbour = township, neighbour
        fill_store(years=YEARS)
        self.neighbour_rows = self._rows(neighbour)

    def teardown(self):
        transaction.savepoint_rollback(self.savepoint)

    @staticmethod
    def call(write):
        """Make a service call; a refusal (ValidationError) is a valid outcome and must change nothing."""
        try:
            write()
        except ValidationError:
            pass

    @staticmethod
    def _rows(township):
        return sorted(store.stored_compliance([township.pk], 2025)[0].by_code.items())

    @rule(year=years, resident=st.integers(min_value=1, max_value=200_000))
    def set_population(self, year, resident):
        self.call(lambda: offices_services.population_set(township=self.township, year=year, resident=resident,
                                                          registered=resident))

    @rule(year=years, posts=st.integers(min_value=0, max_value=9))
    def set_posts(self, year, posts):
        self.call(lambda: staffing_services.authorized_posts_set(township=self.township, year=year, posts=posts))

    @rule(start=days, director=st.booleans())
    def add_staff(self, start, director):
        self.call(lambda: staffing_services.staff_create(
            township=self.township, name=f"人员{start:%m%d}", sex="female", birth_date=datetime.date(1980, 1, 1),
            education="bachelor", start_date=start, post="director" if director else "staff"))

    @precondition(lambda self: self.township.staff.filter(end_date__isnull=True).exists())
    @rule(data=st.data())
    def end_staff(self, data):
        staff = self.township.staff.filter(end_date__isnull=True).order_by("pk").first()
        end = data.draw(st.dates(min_value=staff.start_date, max_value=datetime.date(2025, 12, 31)))
        self.call(lambda: staffing_services.staff_end(staff=staff, end_date=end))

    @rule(start=days)
    def add_assistant(self, start):
        self.call(lambda: staffing_services.assistant_create(
            village=self.township.villages.order_by("pk").first(), name=f"助理{start:%m%d}", sex="male",
            birth_date=datetime.date(1985, 1, 1), education="secondary", role="full_time", start_date=start))

    @rule(kind=st.sampled_from(["office", "reception", "archive", "service_window"]),
          area=st.decimals(min_value=1, max_value=200, places=2), since=st.sampled_from([2020, 2024, 2025]))
    def add_room(self, kind, area, since):
        self.call(lambda: facilities_services.room_create(township=self.township, kind=kind, name=f"{kind}室", area=area,
                                        since_year=since))

    @precondition(lambda self: self.township.rooms.exists())
    @rule()
    def delete_room(self):
        self.call(lambda: facilities_services.room_delete(room=self.township.rooms.order_by("pk").first()))

    @rule(kind=st.sampled_from(["telephone", "computer", "printer", "desk_chairs", "av_recorder"]),
          count=st.integers(min_value=1, max_value=3), networked=st.booleans())
    def add_equipment(self, kind, count, networked):
        self.call(lambda: facilities_services.equipment_create(township=self.township, kind=kind, count=count,
                                             networked=networked and kind == "computer", since_year=2020))

    @precondition(lambda self: self.township.equipment.exists())
    @rule()
    def delete_equipment(self):
        self.call(lambda: facilities_services.equipment_delete(equipment=self.township.equipment.order_by("pk").first()))

    @rule(year=years, amount=st.decimals(min_value=0, max_value=100_000, places=2))
    def set_budget(self, year, amount):
        self.call(lambda: funding_services.budget_set(township=self.township, year=year, lines={"working_funds": (amount, amount)}))

    @rule(day=days, weeks=st.lists(st.integers(min_value=1, max_value=20), max_size=2))
    def inspect(self, day, weeks):
        self.call(lambda: supervision_services.inspection_create(
            township=self.township, level="county", date=day, inspectors="县局",
            findings=[(f"问题{n}", day + datetime.timedelta(weeks=w)) for n, w in enumerate(weeks, start=1)]))

    @precondition(lambda self: InspectionFinding.objects.filter(inspection__township=self.township,
                                                                status="open").exists())
    @rule(days_after=st.integers(min_value=0, max_value=200))
    def rectify(self, days_after):
        finding = InspectionFinding.objects.filter(inspection__township=self.township, status="open").order_by(
            "pk").select_related("inspection__township").first()
        self.call(lambda: supervision_services.finding_rectify(
            finding=finding, rectified_on=finding.inspection.date + datetime.timedelta(days=days_after)))

    @rule(kind=st.sampled_from(["finance", "archives"]), day=days)
    def adopt_regulation(self, kind, day):
        self.call(lambda: regulations_services.regulation_create(
            township=self.township, kind=kind, title=f"{kind}制度", adopted_on=day,
            file=ContentFile(PDF_BYTES, name="制度.pdf")))

    @precondition(lambda self: self.township.regulations.filter(retired_on__isnull=True).exists())
    @rule(data=st.data(), replace=st.booleans())
    def retire_regulation(self, data, replace):
        document = self.township.regulations.filter(retired_on__isnull=True).order_by("pk").first()
        day = data.draw(st.dates(min_value=document.adopted_on, max_value=datetime.date(2025, 12, 31)))
        if replace:
            self.call(lambda: regulations_services.regulation_replace(
                document=document, title="新版", adopted_on=day, file=ContentFile(PDF_BYTES, name="新版.pdf")))
        else:
            self.call(lambda: regulations_services.regulation_retire(document=document, retired_on=day, reason="废止"))

    @invariant()
    def stored_equals_live(self):
        for year in YEARS:
            assert store.differences(Township.objects.filter(pk=self.township.pk), year) == []

    @invariant()
    def the_neighbour_is_untouched(self):
        assert self._rows(self.neighbour) == self.neighbour_rows


@pytest.mark.django_db
def test_random_service_calls_keep_the_store_equal_to_the_live_computation(township, other_township):
    StandardFactory()
    for year in YEARS:
        PopulationFactory(township=township, year=year, resident=40_000)
        PopulationFactory(township=other_township, year=year, resident=60_000)
    VillageFactory(township=township)
    run_state_machine_as_test(ServiceCalls, settings=settings(
        max_examples=10, stateful_step_count=8, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))
