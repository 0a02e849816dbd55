# A recorded computer is 「电脑」 (its "networked" flag says whether it can go online); whether it must be
# networked is the standard's word: 「电脑（可联网）」 (code "computer") or 「电脑」 (code "computer_any").
# Labels and help text only: no change to the table.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('facilities', '0002_villagestation'),
    ]

    operations = [
        migrations.AlterField(
            model_name='equipment',
            name='kind',
            field=models.CharField(choices=[('telephone', '电话'), ('computer', '电脑'), ('printer', '打印机'), ('desk_chairs', '办公桌椅'), ('av_recorder', '影录设备'), ('archive_cabinet', '档案橱'), ('service_vehicle', '联系服务群众专用车'), ('air_conditioner', '空调'), ('fax', '传真机')], max_length=16, verbose_name='设备'),
        ),
        migrations.AlterField(
            model_name='equipment',
            name='networked',
            field=models.BooleanField(default=False, help_text='仅对电脑有意义：标准要求“电脑（可联网）”时只计可联网的电脑，只要求“电脑”时都计入。', verbose_name='可联网'),
        ),
    ]
