"""The move of VillageStation out of offices keeps its table: a database in the old layout migrates forward.

Given a database migrated to just before the move (offices 0004, facilities 0001) holding a village
workstation, when it migrates to the latest migrations, then the same row is read through
`facilities.models.VillageStation`, its permissions follow it to facilities, and the installed Liyang
standard asks for any computer (offices 0006).
"""
import pytest
from django.contrib.auth.models import Permission

from facilities.models import VillageStation
from offices.models import Standard
from tests import migrations

MOVE = ("offices", "0005_move_villagestation_out")
LIYANG = {"jurisdiction_code": "320481", "valid_from_year": 2005}


# serialized_rollback: the flush after a transactional test would also empty the standards a data
# migration installs, which the tests that run after this one read; and the content types it would
# re-create under new ids would clash with another serialized transactional test's.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_database_in_the_old_layout_keeps_its_village_stations():
    graph = migrations.graph()
    latest = graph.leaf_nodes()
    old = migrations.before(graph, MOVE)
    assert ("offices", "0004_move_regulationdocument_out") in old and ("facilities", "0001_initial") in old
    try:
        executor = migrations.migrate(old)
        assert MOVE not in executor.loader.applied_migrations
        assert ("facilities", "0002_villagestation") not in executor.loader.applied_migrations
        old_apps = migrations.old_apps(executor, old)
        OldStandard = old_apps.get_model("offices", "Standard")
        # The shipped standards as migration 0002 installed them; a transactional test that ran before this one
        # without serialized_rollback may have flushed them, so put them back as the old layout had them.
        OldStandard.objects.get_or_create(**LIYANG, defaults={
            "name": "溧阳市基层民政工作规范化建设标准", "jurisdiction_name": "溧阳市",
            "required_equipment": ["computer", "air_conditioner", "fax", "printer"]})
        OldStandard.objects.get_or_create(jurisdiction_code="", defaults={
            "name": "缺省标准", "jurisdiction_name": "缺省", "valid_from_year": 2014,
            "required_equipment": ["telephone", "computer", "printer"]})
        assert OldStandard.objects.get(**LIYANG).required_equipment[0] == "computer"

        City = old_apps.get_model("offices", "City")
        County = old_apps.get_model("offices", "County")
        Township = old_apps.get_model("offices", "Township")
        Village = old_apps.get_model("offices", "Village")
        OldStation = old_apps.get_model("offices", "VillageStation")
        city = City.objects.create(code="371300000000", name="临沂市")
        county = County.objects.create(city=city, code="371302000000", name="兰山区", kind="district")
        township = Township.objects.create(county=county, code="371302001000", name="兰山街道", kind="subdistrict")
        village = Village.objects.create(township=township, code="371302001201", name="甲村村民委员会", kind="village")
        old_row = OldStation.objects.create(village=village, name="甲村便民服务站")
        # In the old layout the model's content type, and the permissions on it, belonged to offices.
        ContentType = old_apps.get_model("contenttypes", "ContentType")
        OldPermission = old_apps.get_model("auth", "Permission")
        ContentType.objects.filter(app_label="facilities", model="villagestation").delete()
        content_type, _created = ContentType.objects.get_or_create(app_label="offices", model="villagestation")
        permission, _created = OldPermission.objects.get_or_create(
            content_type=content_type, codename="view_villagestation", defaults={"name": "Can view 民政工作站"}
        )
    finally:
        executor = migrations.migrate(latest)

    assert set(latest) <= set(executor.loader.applied_migrations)
    assert VillageStation._meta.db_table == "offices_villagestation"
    station = VillageStation.objects.select_related("village__township").get(pk=old_row.pk)
    assert (station.name, station.village.code, station.village.township.code) == (
        "甲村便民服务站", "371302001201", "371302001000"
    )
    assert station.village.station == station  # the reverse accessor keeps its name
    assert Permission.objects.select_related("content_type").get(pk=permission.pk).content_type.app_label == (
        "facilities"
    )
    assert Standard.objects.get(**LIYANG).required_equipment == ["computer_any", "air_conditioner", "fax", "printer"]
    assert "computer" in Standard.objects.get(jurisdiction_code="").required_equipment
