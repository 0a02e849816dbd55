# RegulationDocument, moved here from offices (offices/migrations/0004_move_regulationdocument_out.py).
# The table keeps its name (db_table), so an existing database migrates forward with no data copied:
# the model is created in the migration state only. Its content type is renamed, so the permissions
# and admin history attached to it follow the model.

import django.db.models.deletion
import regulations.models
from django.db import migrations, models


def rename_content_type(apps, schema_editor, old="offices", new="regulations"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label=new, model="regulationdocument").exists():
        ContentType.objects.using(db).filter(app_label=old, model="regulationdocument").update(app_label=new)


def restore_content_type(apps, schema_editor):
    rename_content_type(apps, schema_editor, old="regulations", new="offices")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('offices', '0004_move_regulationdocument_out'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='RegulationDocument',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('procedures', '办事程序'), ('post_responsibility', '岗位责任'), ('service_commitment', '服务承诺'), ('archives', '档案管理'), ('first_inquiry', '首问负责'), ('time_limit', '限时办结'), ('finance', '财务收支'), ('assessment_rewards', '考核奖惩')], max_length=32, verbose_name='制度类别')),
                        ('title', models.CharField(max_length=120, verbose_name='制度名称')),
                        ('adopted_on', models.DateField(verbose_name='印发日期')),
                        ('file', models.FileField(max_length=255, upload_to=regulations.models.regulation_upload_to, validators=[regulations.models.validate_regulation_file], verbose_name='制度文件')),
                        ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='上传时间')),
                        ('township', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='regulations', to='offices.township', verbose_name='乡镇')),
                    ],
                    options={
                        'verbose_name': '工作制度',
                        'verbose_name_plural': '工作制度',
                        'db_table': 'offices_regulationdocument',
                        'ordering': ['township', 'kind', '-adopted_on'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('title', ''), _negated=True), name='regulation_title_not_blank'), models.CheckConstraint(condition=models.Q(('file', ''), _negated=True), name='regulation_file_not_blank')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(rename_content_type, restore_content_type),
    ]
