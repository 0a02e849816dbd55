"""The move of RegulationDocument out of offices keeps its table: a database in the old layout migrates forward.

Given a database migrated to just before the move (offices 0003, no regulations app) holding a
regulation document, when it migrates to the latest migrations, then the same row is read through
`regulations.models.RegulationDocument`, and the model's permissions follow it to the new app.
"""
import datetime

import pytest
from django.contrib.auth.models import Permission

from regulations.models import RegulationDocument
from tests import migrations

MOVE = ("offices", "0004_move_regulationdocument_out")


# serialized_rollback: the round trip re-creates content types under new ids; restore the database's rows after it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_database_in_the_old_layout_keeps_its_documents():
    graph = migrations.graph()
    latest = graph.leaf_nodes()
    old = migrations.before(graph, MOVE, new_app="regulations")
    assert ("offices", "0003_regulationdocument") in old and ("regulations", None) in old
    try:
        executor = migrations.migrate(old)
        assert MOVE not in executor.loader.applied_migrations
        assert not any(app == "regulations" for app, _name in executor.loader.applied_migrations)
        old_apps = migrations.old_apps(executor, old)

        City = old_apps.get_model("offices", "City")
        County = old_apps.get_model("offices", "County")
        Township = old_apps.get_model("offices", "Township")
        OldDocument = old_apps.get_model("offices", "RegulationDocument")
        city = City.objects.create(code="371300000000", name="临沂市")
        county = County.objects.create(city=city, code="371302000000", name="兰山区", kind="district")
        township = Township.objects.create(county=county, code="371302001000", name="兰山街道", kind="subdistrict")
        old_row = OldDocument.objects.create(
            township=township, kind="finance", title="兰山街道民政资金财务收支管理制度",
            adopted_on=datetime.date(2019, 6, 1), file="regulations/371302001000/finance.pdf",
        )
        # In the old layout the model's content type, and the permissions on it, belonged to offices.
        ContentType = old_apps.get_model("contenttypes", "ContentType")
        OldPermission = old_apps.get_model("auth", "Permission")
        ContentType.objects.filter(app_label="regulations", model="regulationdocument").delete()
        content_type, _created = ContentType.objects.get_or_create(app_label="offices", model="regulationdocument")
        permission, _created = OldPermission.objects.get_or_create(
            content_type=content_type, codename="view_regulationdocument", defaults={"name": "Can view 工作制度"}
        )
    finally:
        executor = migrations.migrate(latest)

    assert set(latest) <= set(executor.loader.applied_migrations)
    document = RegulationDocument.objects.select_related("township").get(pk=old_row.pk)
    assert RegulationDocument._meta.db_table == "offices_regulationdocument"
    assert (document.township.code, document.kind, document.title, document.adopted_on) == (
        "371302001000", "finance", "兰山街道民政资金财务收支管理制度", datetime.date(2019, 6, 1)
    )
    assert document.filename == "finance.pdf"
    assert Permission.objects.select_related("content_type").get(pk=permission.pk).content_type.app_label == (
        "regulations"
    )
