"""Writes of the training app: organiser from the user's unit; attendance saved all or nothing."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from tests.factories.offices import TownshipFactory, UserFactory, VillageFactory
from tests.factories.staffing import StaffMemberFactory, VillageAssistantFactory
from tests.factories.training import TrainingSessionFactory
from training import services
from training.models import Attendance, Level, TrainingSession

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.mark.parametrize(("user_fixture", "level", "field"), [
    ("city_staff", Level.CITY, "city"),
    ("county_official", Level.COUNTY, "county"),
    ("clerk", Level.TOWNSHIP, "township"),
])
def test_session_organised_by_own_unit(request, user_fixture, level, field):
    user = request.getfixturevalue(user_fixture)
    session = services.session_create(user=user, date=D(2025, 4, 1), topic="业务培训", hours=Decimal("8"),
                                      audience="all")
    assert session.level == level and getattr(session, field) == user.unit


def test_administrator_without_unit_cannot_organise(db):
    admin = UserFactory(is_superuser=True)
    with pytest.raises(PermissionDenied):
        services.session_create(user=admin, date=D(2025, 4, 1), topic="x", hours=Decimal("1"), audience="all")


def test_hours_must_be_positive(clerk):
    with pytest.raises(ValidationError) as error:
        services.session_create(user=clerk, date=D(2025, 4, 1), topic="x", hours=Decimal("0"), audience="all")
    assert "hours" in error.value.message_dict
    assert not TrainingSession.objects.exists()


def test_database_holds_the_organiser_and_person_constraints(county, township):
    with pytest.raises(IntegrityError), transaction.atomic():
        TrainingSession.objects.create(level=Level.CITY, county=county, date=D(2025, 1, 1), topic="x",
                                       hours=Decimal("1"), audience="all")
    session = TrainingSessionFactory(county=county)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(session=session)
    person = StaffMemberFactory(township=township)
    Attendance.objects.create(session=session, staff_member=person)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(session=session, staff_member=person)


def test_attendance_set_adds_and_removes(county, township):
    session = TrainingSessionFactory(county=county, audience="all")
    a, b = StaffMemberFactory(township=township), StaffMemberFactory(township=township)
    helper = VillageAssistantFactory(village=VillageFactory(township=township))
    assert services.attendance_set(session=session, staff_members=[a, b], assistants=[helper]) == 3
    services.attendance_set(session=session, staff_members=[b], assistants=[])
    assert list(Attendance.objects.values_list("staff_member_id", flat=True)) == [b.pk]


def test_attendance_out_of_jurisdiction_writes_nothing(county, other_county, township):
    session = TrainingSessionFactory(county=county)
    mine = StaffMemberFactory(township=township)
    foreign = StaffMemberFactory(township=TownshipFactory(county=other_county))
    with pytest.raises(ValidationError):
        services.attendance_set(session=session, staff_members=[mine, foreign], assistants=[])
    assert not Attendance.objects.exists()
