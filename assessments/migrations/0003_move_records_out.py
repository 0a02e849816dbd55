# The supervision models (assistants' grades, inspections, satisfaction, bought services) moved to the
# supervision app (supervision/migrations/0001_initial.py). Only the migration state changes: their
# tables and rows stay where they are, now read through supervision's models (same db_table).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0002_records'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='AssistantAssessment'),
                migrations.DeleteModel(name='Inspection'),
                migrations.DeleteModel(name='SatisfactionSurvey'),
                migrations.DeleteModel(name='ServiceContract'),
            ],
            database_operations=[],
        ),
    ]
