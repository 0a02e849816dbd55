"""Access is scoped in one place and denied by default."""
import pytest
from django.test import override_settings
from django.urls import path, reverse

import config.urls
from offices.models import County, Township, Village
from tests.factories.offices import CityFactory, CountyFactory, TownshipFactory, UserFactory, VillageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(township, other_township, other_county):
    """Two townships in 兰山区, one in 罗庄区, one in another city."""
    far_township = TownshipFactory(county=other_county, code="371311001000", name="罗庄街道")
    other_city = CityFactory(code="370100000000", name="济南市")
    foreign = TownshipFactory(county=CountyFactory(city=other_city, code="370102000000"), code="370102001000")
    for t in (township, other_township, far_township, foreign):
        VillageFactory(township=t)
    return {"own": township, "sibling": other_township, "far": far_township, "foreign": foreign}


class TestForUser:
    def test_clerk_sees_only_own_township(self, tree, clerk):
        assert list(Township.objects.for_user(clerk)) == [tree["own"]]
        assert set(Village.objects.for_user(clerk).values_list("township", flat=True)) == {tree["own"].pk}
        assert not County.objects.for_user(clerk).exists()

    def test_county_official_sees_own_county(self, tree, county_official):
        assert set(Township.objects.for_user(county_official)) == {tree["own"], tree["sibling"]}
        assert list(County.objects.for_user(county_official)) == [county_official.county]

    def test_city_staff_sees_whole_city_only(self, tree, city_staff):
        assert set(Township.objects.for_user(city_staff)) == {tree["own"], tree["sibling"], tree["far"]}

    def test_anonymous_and_unbound_users_see_nothing(self, tree, django_user_model):
        from django.contrib.auth.models import AnonymousUser

        assert not Township.objects.for_user(AnonymousUser()).exists()
        assert not Township.objects.for_user(UserFactory()).exists()
        assert not Township.objects.for_user(None).exists()

    def test_inactive_user_sees_nothing(self, tree, clerk):
        clerk.is_active = False
        assert not Township.objects.for_user(clerk).exists()

    def test_superuser_sees_everything(self, tree):
        assert Township.objects.for_user(UserFactory(is_superuser=True)).count() == 4


class TestPages:
    def test_clerk_gets_404_for_another_township(self, tree, clerk, login):
        client = login(clerk)
        assert client.get(reverse("offices:township", args=[tree["own"].code])).status_code == 200
        assert client.get(reverse("offices:township", args=[tree["sibling"].code])).status_code == 404
        assert client.get(reverse("offices:population_edit", args=[tree["sibling"].code])).status_code == 404

    def test_clerk_cannot_open_county_page(self, tree, clerk, login):
        assert login(clerk).get(reverse("offices:county", args=[tree["own"].county.code])).status_code == 403

    def test_county_official_cannot_see_another_county(self, tree, county_official, login):
        client = login(county_official)
        assert client.get(reverse("offices:county", args=[county_official.county.code])).status_code == 200
        assert client.get(reverse("offices:county", args=[tree["far"].county.code])).status_code == 404
        assert client.get(reverse("offices:township", args=[tree["far"].code])).status_code == 404
        assert client.get(reverse("offices:township", args=[tree["sibling"].code])).status_code == 200

    def test_county_official_reads_but_does_not_enter_township_data(self, tree, county_official, login):
        response = login(county_official).post(
            reverse("offices:population_edit", args=[tree["own"].code]), {"year": 2025, "resident": 1, "registered": 1}
        )
        assert response.status_code == 403

    def test_out_of_scope_units_never_listed(self, tree, county_official, city_staff, login):
        page = login(county_official).get(reverse("offices:county", args=[county_official.county.code]))
        assert tree["sibling"].name in page.content.decode() and tree["far"].name not in page.content.decode()
        page = login(city_staff).get(reverse("offices:city", args=[city_staff.city.code]))
        assert "罗庄区" in page.content.decode()
        assert login(city_staff).get(reverse("offices:city", args=["370100000000"])).status_code == 404

    def test_anonymous_is_sent_to_login(self, tree, client):
        response = client.get(reverse("offices:township", args=[tree["own"].code]))
        assert response.status_code == 302 and reverse("login") in response["Location"]

    @pytest.mark.parametrize("role_fixture", ["clerk", "county_official", "city_staff"])
    def test_home_fits_the_role(self, tree, login, request, role_fixture):
        user = request.getfixturevalue(role_fixture)
        response = login(user).get(reverse("home"), follow=True)
        assert response.status_code == 200
        assert user.unit.name in response.content.decode()


def undeclared_view(request):
    from django.http import HttpResponse

    return HttpResponse("secret")


# The site's own URLs too: the 403 page (in the site's layout) links home.
urlpatterns = [path("undeclared/", undeclared_view), *config.urls.urlpatterns]


@override_settings(ROOT_URLCONF=__name__)
def test_view_without_declared_scope_is_refused(clerk, login):
    response = login(clerk).get("/undeclared/")
    assert response.status_code == 403
    assert b"secret" not in response.content


def test_login_page_is_chinese(client):
    page = client.get(reverse("login")).content.decode()
    assert "登录" in page and "密码" in page
