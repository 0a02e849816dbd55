import datetime

import factory

from staffing.models import AuthorizedPosts, DirectorOpinion, StaffMember, VillageAssistant
from tests.factories.base import Factory
from tests.factories.offices import TownshipFactory, VillageFactory


class StaffMemberFactory(Factory):
    class Meta:
        model = StaffMember

    township = factory.SubFactory(TownshipFactory)
    name = factory.Sequence(lambda n: f"工作人员{n}")
    sex = "female"
    birth_date = datetime.date(1985, 6, 1)
    education = "bachelor"
    full_time = True
    post = StaffMember.Post.STAFF
    qualification = ""
    start_date = datetime.date(2015, 3, 1)
    end_date = None

    class Params:
        director = factory.Trait(post=StaffMember.Post.DIRECTOR)


class AuthorizedPostsFactory(Factory):
    class Meta:
        model = AuthorizedPosts

    township = factory.SubFactory(TownshipFactory)
    year = 2025
    posts = 5


class DirectorOpinionFactory(Factory):
    class Meta:
        model = DirectorOpinion

    director = factory.SubFactory(StaffMemberFactory, director=True)
    opinion_date = factory.LazyAttribute(lambda o: o.director.start_date - datetime.timedelta(days=14))
    reference = factory.Sequence(lambda n: f"县民函〔2015〕{n}号")


class VillageAssistantFactory(Factory):
    class Meta:
        model = VillageAssistant

    village = factory.SubFactory(VillageFactory)
    name = factory.Sequence(lambda n: f"助理员{n}")
    sex = "male"
    birth_date = datetime.date(1978, 2, 1)
    education = "secondary"
    role = VillageAssistant.Role.TWO_COMMITTEES
    start_date = datetime.date(2021, 1, 10)
    end_date = None
    filed_date = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=20))
