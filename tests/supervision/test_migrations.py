"""The move of the supervision models out of assessments keeps their tables: an old database migrates forward.

Given a database migrated to just before the move (assessments 0002, no supervision app) holding an
inspection of a township, when it migrates to the latest migrations, then the same row is read through
`supervision.models.Inspection`, its findings text is its one `InspectionFinding` (supervision 0003), and
the model's permissions follow it to the new app.
"""
import datetime

import pytest
from django.contrib.auth.models import Permission

from supervision.models import (
    AssistantAssessment,
    Inspection,
    InspectionFinding,
    SatisfactionSurvey,
    ServiceContract,
)
from tests import migrations

MOVE = ("assessments", "0003_move_records_out")


# serialized_rollback: the flush after a transactional test would also empty the standards a data
# migration installs, which the tests that run after this one read.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_database_in_the_old_layout_keeps_its_inspections():
    graph = migrations.graph()
    latest = graph.leaf_nodes()
    old = migrations.before(graph, MOVE, new_app="supervision")
    assert ("assessments", "0002_records") in old and ("supervision", None) in old
    try:
        executor = migrations.migrate(old)
        assert MOVE not in executor.loader.applied_migrations
        assert not any(app == "supervision" for app, _name in executor.loader.applied_migrations)
        old_apps = migrations.old_apps(executor, old)

        City = old_apps.get_model("offices", "City")
        County = old_apps.get_model("offices", "County")
        Township = old_apps.get_model("offices", "Township")
        OldInspection = old_apps.get_model("assessments", "Inspection")
        city = City.objects.create(code="371300000000", name="临沂市")
        county = County.objects.create(city=city, code="371302000000", name="兰山区", kind="district")
        township = Township.objects.create(county=county, code="371302001000", name="兰山街道", kind="subdistrict")
        old_row = OldInspection.objects.create(
            township=township, level="county", date=datetime.date(2025, 5, 10), inspectors="王检查、李督导",
            findings="档案未按年度归档。", deadline=datetime.date(2025, 6, 30), status="rectified",
            rectified_on=datetime.date(2025, 6, 20),
        )
        # In the old layout the model's content type, and the permissions on it, belonged to assessments.
        ContentType = old_apps.get_model("contenttypes", "ContentType")
        OldPermission = old_apps.get_model("auth", "Permission")
        ContentType.objects.filter(app_label="supervision", model="inspection").delete()
        content_type, _created = ContentType.objects.get_or_create(app_label="assessments", model="inspection")
        permission, _created = OldPermission.objects.get_or_create(
            content_type=content_type, codename="view_inspection", defaults={"name": "Can view 实地检查"}
        )
    finally:
        executor = migrations.migrate(latest)

    assert set(latest) <= set(executor.loader.applied_migrations)
    assert [model._meta.db_table for model in (AssistantAssessment, Inspection, SatisfactionSurvey,
                                               ServiceContract)] == [
        "assessments_assistantassessment", "assessments_inspection", "assessments_satisfactionsurvey",
        "assessments_servicecontract",
    ]
    inspection = Inspection.objects.select_related("township").get(pk=old_row.pk)
    assert (inspection.township.code, inspection.level) == ("371302001000", Inspection.Level.COUNTY)
    # supervision 0003: the inspection's one findings text became its one finding, deadline and state kept.
    finding = inspection.findings.get()
    assert (finding.text, finding.deadline) == ("档案未按年度归档。", datetime.date(2025, 6, 30))
    assert (finding.status, finding.rectified_on) == (InspectionFinding.State.RECTIFIED, datetime.date(2025, 6, 20))
    assert finding.history.get().history_type == "+"  # its 变更记录 starts with the copy
    assert list(inspection.township.inspections.all()) == [inspection]  # the reverse accessor keeps its name
    assert Permission.objects.select_related("content_type").get(pk=permission.pk).content_type.app_label == (
        "supervision"
    )
