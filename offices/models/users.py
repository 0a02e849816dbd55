"""Users, each bound to one unit of the hierarchy by their role."""
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from offices.models.hierarchy import City, County, Township
from offices.text import NoControlCharactersModel


class Role(models.TextChoices):
    CITY = "city", _("市民政局工作人员")
    COUNTY = "county", _("县区民政局工作人员")
    TOWNSHIP = "township", _("乡镇民政办工作人员")


class User(NoControlCharactersModel, AbstractUser):
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices, blank=True)
    city = models.ForeignKey(City, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("所属市"))
    county = models.ForeignKey(County, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("所属县区"))
    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("所属乡镇")
    )
    must_change_password = models.BooleanField(
        _("下次登录须修改密码"), default=False,
        help_text=_("由管理员创建账号或重置密码后自动勾选；用户修改密码后取消。"),
    )
    password_changed_at = models.DateTimeField(
        _("密码修改时间"), null=True, blank=True, editable=False,
        help_text=_("为空表示密码未经系统设置（如演示账号），不参与密码有效期检查。"),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            # A role binds exactly its own level; a user without a role (an
            # administrator) is bound to nothing.
            models.CheckConstraint(
                condition=(
                    Q(role="city", city__isnull=False, county__isnull=True, township__isnull=True)
                    | Q(role="county", city__isnull=True, county__isnull=False, township__isnull=True)
                    | Q(role="township", city__isnull=True, county__isnull=True, township__isnull=False)
                    | Q(role="", city__isnull=True, county__isnull=True, township__isnull=True)
                ),
                name="user_role_matches_unit",
            ),
        ]

    def set_password(self, raw_password):
        super().set_password(raw_password)
        # Every path that sets a password (forms, admin, createsuperuser) starts the expiry clock here.
        self.password_changed_at = timezone.now()

    @property
    def display_name(self):
        """The name the timeline and the history show: 「王小明」 (family name first, no space), else the username."""
        first, last = self.first_name.strip(), self.last_name.strip()
        if not (first or last):
            return self.get_username()
        if any("\u4e00" <= ch <= "\u9fff" for ch in first + last):
            return f"{last}{first}"
        return f"{first} {last}".strip()

    @property
    def is_city(self):
        return self.role == Role.CITY and self.city_id is not None

    @property
    def is_county(self):
        return self.role == Role.COUNTY and self.county_id is not None

    @property
    def is_township(self):
        return self.role == Role.TOWNSHIP and self.township_id is not None

    @property
    def sees_city(self):
        """Sees the whole city (the city bureau, administrators): city links in breadcrumbs and menus."""
        return self.is_superuser or self.is_city

    @property
    def sees_counties(self):
        """Sees county pages (everybody above the township)."""
        return self.is_superuser or self.is_city or self.is_county

    def can_edit_township(self, township):
        """Only the township's own clerks (and administrators) enter its data."""
        return self.is_superuser or (self.is_township and self.township_id == township.pk)

    @property
    def unit(self):
        """Return the hierarchy unit the user is bound to (None for administrators)."""
        return {Role.CITY: self.city, Role.COUNTY: self.county, Role.TOWNSHIP: self.township}.get(self.role)

    def clean(self):
        super().clean()
        expected = {Role.CITY: "city", Role.COUNTY: "county", Role.TOWNSHIP: "township"}.get(self.role)
        for field in ("city", "county", "township"):
            value = getattr(self, f"{field}_id")
            if field == expected and value is None:
                raise ValidationError({field: _("该角色必须指定所属单位。")}, code="unit_required")
            if field != expected and value is not None:
                raise ValidationError({field: _("该角色不应指定此级单位。")}, code="unit_forbidden")
