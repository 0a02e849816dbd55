
import django.contrib.auth.models
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('offices', '0006_liyang_computer_any'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='UnitAssignment',
            fields=[
            ],
            options={
                'verbose_name': '用户所属单位',
                'verbose_name_plural': '用户所属单位',
                'proxy': True,
                'default_permissions': ('view', 'change'),
                'indexes': [],
                'constraints': [],
            },
            bases=('offices.user',),
            managers=[
                ('objects', django.contrib.auth.models.UserManager()),
            ],
        ),
        migrations.CreateModel(
            name='SecurityEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('login', '登录'), ('login_failed', '登录失败'), ('lockout', '账号锁定'), ('logout', '退出登录'), ('password_change', '修改密码'), ('password_reset', '重置密码'), ('account_change', '账号、角色或单位变更'), ('otp_enrol', '绑定双因素认证'), ('otp_verified', '双因素认证通过'), ('otp_failed', '双因素认证失败'), ('events_purged', '清理过期安全事件')], max_length=32, verbose_name='事件类型')),
                ('occurred_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='时间')),
                ('username', models.CharField(blank=True, db_index=True, max_length=150, verbose_name='用户名')),
                ('subject', models.CharField(blank=True, help_text='管理员变更、重置的账号；本人操作时为空。', max_length=150, verbose_name='被操作账号')),
                ('address', models.GenericIPAddressField(blank=True, null=True, verbose_name='来源地址')),
                ('outcome', models.CharField(choices=[('success', '成功'), ('failure', '失败')], max_length=16, verbose_name='结果')),
                ('detail', models.TextField(blank=True, verbose_name='详情')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作账号')),
            ],
            options={
                'verbose_name': '安全事件',
                'verbose_name_plural': '安全事件',
                'ordering': ['-occurred_at', '-pk'],
                'default_permissions': ('view',),
                'constraints': [models.CheckConstraint(condition=models.Q(('kind__in', ['login', 'login_failed', 'lockout', 'logout', 'password_change', 'password_reset', 'account_change', 'otp_enrol', 'otp_verified', 'otp_failed', 'events_purged'])), name='securityevent_kind_known'), models.CheckConstraint(condition=models.Q(('outcome__in', ['success', 'failure'])), name='securityevent_outcome_known')],
            },
        ),
    ]
