"""Install the two standards the product ships with (see offices.standards_catalog)."""
from django.db import migrations

# The catalogue is the record of what shipped; a later change to it ships with
# a migration of its own that updates the installed rows.
from offices.standards_catalog import LIYANG_2005, SHANDONG_DEFAULT

FROZEN = [dict(SHANDONG_DEFAULT), dict(LIYANG_2005)]


def install(apps, schema_editor):
    Standard = apps.get_model("offices", "Standard")
    for data in FROZEN:
        Standard.objects.update_or_create(
            jurisdiction_code=data["jurisdiction_code"],
            valid_from_year=data["valid_from_year"],
            name=data["name"],
            defaults=data,
        )


def uninstall(apps, schema_editor):
    Standard = apps.get_model("offices", "Standard")
    for data in FROZEN:
        Standard.objects.filter(
            jurisdiction_code=data["jurisdiction_code"], valid_from_year=data["valid_from_year"], name=data["name"]
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("offices", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall)]
