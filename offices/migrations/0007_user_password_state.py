from django.db import migrations, models
from django.utils import timezone


def stamp_existing_passwords(apps, schema_editor):
    """Passwords set before this migration start their expiry clock now: no account escapes expiry."""
    User = apps.get_model("offices", "User")
    User.objects.filter(password_changed_at__isnull=True).exclude(password__startswith="!").update(
        password_changed_at=timezone.now()
    )


class Migration(migrations.Migration):

    dependencies = [
        ('offices', '0006_liyang_computer_any'),
    ]

    operations = [
        migrations.AddField(
            model_name='user',
            name='must_change_password',
            field=models.BooleanField(default=False, help_text='由管理员创建账号或重置密码后自动勾选；用户修改密码后取消。', verbose_name='下次登录须修改密码'),
        ),
        migrations.AddField(
            model_name='user',
            name='password_changed_at',
            field=models.DateTimeField(blank=True, editable=False, help_text='为空表示密码未经系统设置（如演示账号），不参与密码有效期检查。', null=True, verbose_name='密码修改时间'),
        ),
        migrations.RunPython(stamp_existing_passwords, migrations.RunPython.noop),
    ]
