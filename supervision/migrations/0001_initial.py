"""The supervision models, moved here from assessments (assessments 0003_move_records_out).

The four tables were created by assessments 0002 and keep their names
(`db_table`), so an existing database migrates forward with no data copied:
the models are created in the migration state only. Their content types are
renamed, so the permissions and admin history attached to them follow.
"""
import django.core.validators
import django.db.models.deletion
from decimal import Decimal
from django.db import migrations, models

MODELS = ["assistantassessment", "inspection", "satisfactionsurvey", "servicecontract"]


def rename_content_types(apps, schema_editor, old="assessments", new="supervision"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MODELS:
        if not ContentType.objects.using(db).filter(app_label=new, model=model).exists():
            ContentType.objects.using(db).filter(app_label=old, model=model).update(app_label=new)


def restore_content_types(apps, schema_editor):
    rename_content_types(apps, schema_editor, old="supervision", new="assessments")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('assessments', '0003_move_records_out'),  # assessments 0002 created the tables
        ('contenttypes', '0002_remove_content_type_name'),
        ('offices', '0001_initial'),
        ('staffing', '0001_initial'),  # VillageAssistant, for AssistantAssessment.assistant
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='AssistantAssessment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1949), django.core.validators.MaxValueValidator(2100)], verbose_name='年度')),
                        ('grade', models.CharField(choices=[('excellent', '优秀'), ('competent', '称职'), ('basic', '基本称职'), ('incompetent', '不称职')], max_length=16, verbose_name='考评等次')),
                        ('assessor', models.CharField(max_length=64, verbose_name='考评单位或考评人')),
                        ('assessed_on', models.DateField(verbose_name='考评日期')),
                        ('assistant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assessments', to='staffing.villageassistant', verbose_name='民政助理员')),
                    ],
                    options={
                        'verbose_name': '民政助理员年度考评',
                        'verbose_name_plural': '民政助理员年度考评',
                        'db_table': 'assessments_assistantassessment',
                        'ordering': ['assistant', '-year'],
                        'constraints': [models.UniqueConstraint(fields=('assistant', 'year'), name='assistant_assessment_one_per_year'), models.CheckConstraint(condition=models.Q(('year__gte', 1949), ('year__lte', 2100)), name='assistant_assessment_year_range'), models.CheckConstraint(condition=models.Q(('grade__in', ['excellent', 'competent', 'basic', 'incompetent'])), name='assistant_assessment_grade_valid')],
                    },
                ),
                migrations.CreateModel(
                    name='Inspection',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('level', models.CharField(choices=[('city', '市级'), ('county', '县级')], max_length=16, verbose_name='检查层级')),
                        ('date', models.DateField(verbose_name='检查日期')),
                        ('inspectors', models.CharField(max_length=200, verbose_name='检查人员')),
                        ('findings', models.TextField(verbose_name='发现问题')),
                        ('deadline', models.DateField(verbose_name='整改期限')),
                        ('status', models.CharField(choices=[('open', '整改中'), ('rectified', '已整改')], default='open', max_length=16, verbose_name='整改状态')),
                        ('rectified_on', models.DateField(blank=True, null=True, verbose_name='整改完成日期')),
                        ('township', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='inspections', to='offices.township', verbose_name='乡镇')),
                    ],
                    options={
                        'verbose_name': '实地检查',
                        'verbose_name_plural': '实地检查',
                        'db_table': 'assessments_inspection',
                        'ordering': ['-date', 'pk'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('deadline__gte', models.F('date'))), name='inspection_deadline_after_date'), models.CheckConstraint(condition=models.Q(models.Q(('rectified_on__isnull', True), ('status', 'open')), models.Q(('rectified_on__gte', models.F('date')), ('rectified_on__isnull', False), ('status', 'rectified')), _connector='OR'), name='inspection_rectified_iff_date')],
                    },
                ),
                migrations.CreateModel(
                    name='SatisfactionSurvey',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1949), django.core.validators.MaxValueValidator(2100)], verbose_name='年度')),
                        ('sample_size', models.PositiveIntegerField(verbose_name='样本量（份）')),
                        ('score', models.DecimalField(decimal_places=2, max_digits=5, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('100'))], verbose_name='满意度得分')),
                        ('township', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='satisfaction_surveys', to='offices.township', verbose_name='乡镇')),
                    ],
                    options={
                        'verbose_name': '满意度测评',
                        'verbose_name_plural': '满意度测评',
                        'db_table': 'assessments_satisfactionsurvey',
                        'ordering': ['township', '-year'],
                        'constraints': [models.UniqueConstraint(fields=('township', 'year'), name='satisfaction_one_per_year'), models.CheckConstraint(condition=models.Q(('sample_size__gt', 0)), name='satisfaction_sample_positive'), models.CheckConstraint(condition=models.Q(('score__gte', 0), ('score__lte', 100)), name='satisfaction_score_0_100'), models.CheckConstraint(condition=models.Q(('year__gte', 1949), ('year__lte', 2100)), name='satisfaction_year_range')],
                    },
                ),
                migrations.CreateModel(
                    name='ServiceContract',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('provider', models.CharField(max_length=120, verbose_name='承接机构')),
                        ('area', models.CharField(choices=[('social_assistance', '社会救助'), ('welfare', '社会福利'), ('elderly_care', '养老服务'), ('special_care', '优抚安置'), ('other', '其他')], max_length=32, verbose_name='服务领域')),
                        ('amount', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='合同金额（元）')),
                        ('start_date', models.DateField(verbose_name='开始日期')),
                        ('end_date', models.DateField(verbose_name='结束日期')),
                        ('township', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='service_contracts', to='offices.township', verbose_name='乡镇')),
                    ],
                    options={
                        'verbose_name': '购买服务合同',
                        'verbose_name_plural': '购买服务合同',
                        'db_table': 'assessments_servicecontract',
                        'ordering': ['township', '-start_date', 'pk'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='service_contract_amount_positive'), models.CheckConstraint(condition=models.Q(('end_date__gte', models.F('start_date'))), name='service_contract_end_after_start')],
                    },
                ),
            ],
        ),
        migrations.RunPython(rename_content_types, restore_content_types),
    ]
