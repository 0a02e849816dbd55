# VillageStation, moved here from offices (offices/migrations/0005_move_villagestation_out.py).
# The table keeps its name (db_table), so an existing database migrates forward with no data copied:
# the model is created in the migration state only. Its content type is renamed, so the permissions
# and admin history attached to it follow the model.

import django.db.models.deletion
from django.db import migrations, models


def rename_content_type(apps, schema_editor, old="offices", new="facilities"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label=new, model="villagestation").exists():
        ContentType.objects.using(db).filter(app_label=old, model="villagestation").update(app_label=new)


def restore_content_type(apps, schema_editor):
    rename_content_type(apps, schema_editor, old="facilities", new="offices")


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('facilities', '0001_initial'),
        ('offices', '0005_move_villagestation_out'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='VillageStation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=80, verbose_name='工作站名称')),
                        ('village', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='station', to='offices.village', verbose_name='村（社区）')),
                    ],
                    options={
                        'verbose_name': '村（社区）民政工作站',
                        'verbose_name_plural': '村（社区）民政工作站',
                        'db_table': 'offices_villagestation',
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(rename_content_type, restore_content_type),
    ]
