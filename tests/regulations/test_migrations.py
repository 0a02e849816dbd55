"""The move of RegulationDocument out of offices keeps its table: a database in the old layout migrates forward.

Given a database migrated to just before the move (offices 0003, no regulations app) holding a
regulation document, when it migrates to the latest migrations, then the same row is read through
`regulations.models.RegulationDocument`, and the model's permissions follow it to the new app.
"""
import datetime

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from regulations.models import RegulationDocument

MOVE = ("offices", "0004_move_regulationdocument_out")


def before_the_move(graph):
    """Each app's latest migration that does not depend on the move; the regulations app unmigrated."""
    moved = set(graph.backwards_plan(MOVE))  # the move and every migration that depends on it
    targets = []
    for app, name in sorted(graph.leaf_nodes()):
        if app == "regulations":
            targets.append((app, None))
            continue
        kept = [node for node in graph.forwards_plan((app, name)) if node[0] == app and node not in moved]
        targets.append(kept[-1] if kept else (app, None))
    return targets


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()  # read back what is applied now
    return executor


# serialized_rollback: the round trip re-creates content types under new ids; restore the database's rows after it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_database_in_the_old_layout_keeps_its_documents():
    graph = MigrationExecutor(connection).loader.graph
    latest = graph.leaf_nodes()
    old = before_the_move(graph)
    assert ("offices", "0003_regulationdocument") in old and ("regulations", None) in old
    try:
        executor = migrate(old)
        assert MOVE not in executor.loader.applied_migrations
        assert not any(app == "regulations" for app, _name in executor.loader.applied_migrations)
        old_apps = executor.loader.project_state([node for node in old if node[1] is not None]).apps

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
        executor = migrate(latest)

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
