"""Writes: full validation, Chinese messages naming the field, nothing saved on error."""
import datetime

import pytest
from django.core.exceptions import ValidationError

from staffing import services
from staffing.models import AuthorizedPosts, DirectorOpinion, StaffMember, VillageAssistant
from tests.factories.offices import TownshipFactory, VillageFactory
from tests.factories.staffing import StaffMemberFactory, VillageAssistantFactory

pytestmark = pytest.mark.django_db

D = datetime.date
PERSON = {
    "name": "王芳", "sex": "female", "birth_date": D(1988, 4, 2), "education": "bachelor", "start_date": D(2016, 7, 1),
}


def test_staff_create_update_end(township):
    staff = services.staff_create(township=township, post="director", qualification="assistant", **PERSON)
    assert staff.pk and staff.township == township and staff.full_time
    services.staff_update(staff=staff, education="postgraduate")
    assert StaffMember.objects.get().education == "postgraduate"
    services.staff_end(staff=staff, end_date=D(2025, 3, 31))
    assert StaffMember.objects.get().end_date == D(2025, 3, 31)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [({"start_date": D(1980, 1, 1)}, "start_date", "到岗日期应晚于出生日期"),
     ({"birth_date": D(2010, 1, 1)}, "birth_date", "到岗日期时年龄为6岁"),
     ({"end_date": D(2016, 6, 30)}, "end_date", "离岗日期不能早于到岗日期"),
     ({"education": "phd"}, "education", "")],
)
def test_staff_create_rejects_bad_data(township, changes, field, words):
    with pytest.raises(ValidationError) as error:
        services.staff_create(township=township, **{**PERSON, **changes})
    assert field in error.value.message_dict
    assert words in " ".join(error.value.message_dict[field])
    assert not StaffMember.objects.exists()


def test_staff_end_before_start_keeps_the_row(township):
    staff = StaffMemberFactory(township=township)
    with pytest.raises(ValidationError):
        services.staff_end(staff=staff, end_date=D(2000, 1, 1))
    assert StaffMember.objects.get().end_date is None


def test_staff_update_refuses_unknown_fields(township):
    with pytest.raises(TypeError):
        services.staff_update(staff=StaffMemberFactory(township=township), township=TownshipFactory())


def test_authorized_posts_set_replaces(township):
    services.authorized_posts_set(township=township, year=2025, posts=4)
    services.authorized_posts_set(township=township, year=2025, posts=5)
    assert list(AuthorizedPosts.objects.values_list("year", "posts")) == [(2025, 5)]
    with pytest.raises(ValidationError):
        services.authorized_posts_set(township=township, year=1800, posts=5)


def test_director_opinion_set(township):
    director = StaffMemberFactory(township=township, director=True)
    services.director_opinion_set(director=director, opinion_date=D(2015, 2, 1), reference="县民函〔2015〕3号")
    services.director_opinion_set(director=director, opinion_date=D(2015, 2, 10), reference="县民函〔2015〕4号")
    assert DirectorOpinion.objects.get().reference == "县民函〔2015〕4号"
    with pytest.raises(ValidationError) as error:
        services.director_opinion_set(director=StaffMemberFactory(township=township), opinion_date=D(2015, 2, 1),
                                      reference="x")
    assert "不是主任" in error.value.message_dict["director"][0]


ASSISTANT = {"name": "李强", "sex": "male", "birth_date": D(1979, 1, 1), "education": "secondary",
             "role": "two_committees", "start_date": D(2022, 1, 5)}


def test_assistant_lifecycle(township):
    village = VillageFactory(township=township)
    assistant = services.assistant_create(village=village, **ASSISTANT)
    assert assistant.filed_date is None
    services.assistant_file(assistant=assistant, filed_date=D(2022, 2, 1))
    services.assistant_update(assistant=assistant, role="full_time")
    services.assistant_end(assistant=assistant, end_date=D(2024, 6, 30))
    saved = VillageAssistant.objects.get()
    assert (saved.filed_date, saved.role, saved.end_date) == (D(2022, 2, 1), "full_time", D(2024, 6, 30))


def test_assistant_filed_before_appointment(township):
    assistant = VillageAssistantFactory(village=VillageFactory(township=township), filed_date=None)
    with pytest.raises(ValidationError) as error:
        services.assistant_file(assistant=assistant, filed_date=D(2020, 1, 1))
    assert "备案日期不能早于选聘日期" in error.value.message_dict["filed_date"][0]
    assert VillageAssistant.objects.get().filed_date is None


def test_assistant_cannot_move_to_another_township(township, other_township):
    assistant = VillageAssistantFactory(village=VillageFactory(township=township))
    with pytest.raises(ValidationError):
        services.assistant_update(assistant=assistant, village=VillageFactory(township=other_township))
    assert VillageAssistant.objects.get().village.township == township
