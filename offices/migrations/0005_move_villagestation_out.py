# VillageStation moved to the facilities app (facilities/migrations/0002_villagestation.py): no app deletes
# another app's rows directly. Only the migration state changes: the table offices_villagestation and its
# rows stay where they are.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('offices', '0004_move_regulationdocument_out'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='VillageStation')],
            database_operations=[],
        ),
    ]
