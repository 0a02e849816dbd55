# RegulationDocument moved to the regulations app (regulations/migrations/0001_initial.py). Only the
# migration state changes: the table offices_regulationdocument and its rows stay where they are.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('offices', '0003_regulationdocument'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='RegulationDocument')],
            database_operations=[],
        ),
    ]
