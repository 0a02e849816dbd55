from django.db import migrations


class Migration(migrations.Migration):
    """The inspection's own findings columns, copied into its findings by 0003, go."""

    dependencies = [
        ("supervision", "0003_inspection_findings"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='inspection',
            name='inspection_deadline_after_date',
        ),
        migrations.RemoveConstraint(
            model_name='inspection',
            name='inspection_rectified_iff_date',
        ),
        migrations.RemoveField(
            model_name='historicalinspection',
            name='deadline',
        ),
        migrations.RemoveField(
            model_name='historicalinspection',
            name='findings',
        ),
        migrations.RemoveField(
            model_name='historicalinspection',
            name='rectified_on',
        ),
        migrations.RemoveField(
            model_name='historicalinspection',
            name='status',
        ),
        migrations.RemoveField(
            model_name='inspection',
            name='deadline',
        ),
        migrations.RemoveField(
            model_name='inspection',
            name='findings',
        ),
        migrations.RemoveField(
            model_name='inspection',
            name='rectified_on',
        ),
        migrations.RemoveField(
            model_name='inspection',
            name='status',
        ),
    ]
