"""Liyang 2005 asks for 「电脑」, not 「电脑（可联网）」: any computer counts there.

The installed Liyang row named "computer" (a networked computer, as the
default standard requires); it now names "computer_any" (see
offices.vocabulary.EquipmentKind). The values are written out here, not
read from the catalogue, so that this migration keeps meaning what it meant.
"""
from django.db import migrations

LIYANG = {"jurisdiction_code": "320481", "valid_from_year": 2005, "name": "溧阳市基层民政工作规范化建设标准"}


def _replace(apps, old, new):
    Standard = apps.get_model("offices", "Standard")
    for standard in Standard.objects.filter(**LIYANG):
        kinds = standard.required_equipment or []
        if old in kinds:
            standard.required_equipment = [new if kind == old else kind for kind in kinds]
            standard.save(update_fields=["required_equipment"])


def any_computer(apps, schema_editor):
    _replace(apps, "computer", "computer_any")


def networked_computer(apps, schema_editor):
    _replace(apps, "computer_any", "computer")


class Migration(migrations.Migration):
    dependencies = [("offices", "0005_move_villagestation_out")]

    operations = [migrations.RunPython(any_computer, networked_computer)]
