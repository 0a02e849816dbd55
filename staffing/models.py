"""People of the township office and the village civil-affairs assistants."""
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from offices.history import date_span, register, tracked_history, year_field
from offices.models import Township, Village, village_short_name
from offices.querysets import township_scoped
from offices.text import NoControlCharactersModel


class Education(models.TextChoices):
    POSTGRADUATE = "postgraduate", _("研究生")
    BACHELOR = "bachelor", _("大学本科")
    JUNIOR_COLLEGE = "junior_college", _("大专")
    SECONDARY = "secondary", _("中专或高中")
    BELOW = "below", _("初中及以下")


JUNIOR_COLLEGE_OR_HIGHER = [Education.POSTGRADUATE, Education.BACHELOR, Education.JUNIOR_COLLEGE]


class Sex(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class SocialWorkQualification(models.TextChoices):
    NONE = "", _("无")
    ASSISTANT = "assistant", _("助理社会工作师")
    SOCIAL_WORKER = "social_worker", _("社会工作师")
    SENIOR = "senior", _("高级社会工作师")


class StaffMember(NoControlCharactersModel, models.Model):
    """A person working in the township civil-affairs office."""

    class Post(models.TextChoices):
        DIRECTOR = "director", _("民政办公室主任")
        STAFF = "staff", _("工作人员")

    township = models.ForeignKey(Township, on_delete=models.CASCADE, related_name="staff", verbose_name=_("乡镇"))
    name = models.CharField(_("姓名"), max_length=32)
    sex = models.CharField(_("性别"), max_length=8, choices=Sex.choices)
    birth_date = models.DateField(_("出生日期"))
    education = models.CharField(_("学历"), max_length=16, choices=Education.choices)
    full_time = models.BooleanField(_("专职"), default=True)
    post = models.CharField(_("岗位"), max_length=16, choices=Post.choices, default=Post.STAFF)
    qualification = models.CharField(
        _("社会工作职业资格"), max_length=16, choices=SocialWorkQualification.choices, blank=True
    )
    start_date = models.DateField(_("到岗日期"))
    end_date = models.DateField(_("离岗日期"), null=True, blank=True)

    objects = township_scoped("township").as_manager()
    history = tracked_history()

    class Meta:
        verbose_name = _("民政办工作人员")
        verbose_name_plural = _("民政办工作人员")
        ordering = ["township", "post", "start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")), name="staff_end_after_start"
            ),
            models.CheckConstraint(condition=Q(start_date__gt=F("birth_date")), name="staff_start_after_birth"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("离岗日期不能早于到岗日期。")}, code="end_before_start")
        if self.birth_date and self.start_date and self.start_date <= self.birth_date:
            raise ValidationError({"start_date": _("到岗日期应晚于出生日期。")}, code="start_before_birth")


class AuthorizedPosts(models.Model):
    """The number of authorized posts (编制数) of a township office in a year."""

    township = models.ForeignKey(
        Township, on_delete=models.CASCADE, related_name="authorized_posts", verbose_name=_("乡镇")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    posts = models.PositiveSmallIntegerField(_("编制数"))

    objects = township_scoped("township").as_manager()
    history = tracked_history()

    class Meta:
        verbose_name = _("编制数")
        verbose_name_plural = _("编制数")
        constraints = [
            models.UniqueConstraint(fields=["township", "year"], name="authorized_posts_one_per_year"),
            models.CheckConstraint(condition=Q(year__gte=1949, year__lte=2100), name="authorized_posts_year_range"),
        ]

    def __str__(self):
        return f"{self.township} {self.year}: {self.posts}"


class DirectorOpinion(NoControlCharactersModel, models.Model):
    """The county bureau's opinion sought before appointing the office director."""

    director = models.OneToOneField(
        StaffMember, on_delete=models.CASCADE, related_name="county_opinion", verbose_name=_("民政办公室主任")
    )
    opinion_date = models.DateField(_("征求意见日期"))
    reference = models.CharField(_("文号或记录编号"), max_length=64)
    note = models.CharField(_("意见摘要"), max_length=200, blank=True)

    objects = township_scoped("director__township").as_manager()
    history = tracked_history()

    class Meta:
        verbose_name = _("县级民政部门意见")
        verbose_name_plural = _("县级民政部门意见")

    def __str__(self):
        return self.reference


def assistant_label(name, village_short):
    return f"{name}（{village_short}）"


class VillageAssistant(NoControlCharactersModel, models.Model):
    """A village's or community's civil-affairs assistant (民政助理员)."""

    class Role(models.TextChoices):
        TWO_COMMITTEES = "two_committees", _("村“两委”成员兼任")
        ACCOUNTANT = "accountant", _("村会计兼任")
        FULL_TIME = "full_time", _("专职")

    village = models.ForeignKey(Village, on_delete=models.CASCADE, related_name="assistants", verbose_name=_("村（社区）"))
    name = models.CharField(_("姓名"), max_length=32)
    sex = models.CharField(_("性别"), max_length=8, choices=Sex.choices)
    birth_date = models.DateField(_("出生日期"))
    education = models.CharField(_("学历"), max_length=16, choices=Education.choices)
    role = models.CharField(_("任职方式"), max_length=16, choices=Role.choices)
    start_date = models.DateField(_("选聘日期"))
    end_date = models.DateField(_("离任日期"), null=True, blank=True)
    filed_date = models.DateField(_("报县级民政部门备案日期"), null=True, blank=True)

    objects = township_scoped("village__township").as_manager()
    history = tracked_history()

    class Meta:
        verbose_name = _("村（社区）民政助理员")
        verbose_name_plural = _("村（社区）民政助理员")
        ordering = ["village", "start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="assistant_end_after_start",
            ),
            models.CheckConstraint(condition=Q(start_date__gt=F("birth_date")), name="assistant_start_after_birth"),
        ]

    def __str__(self):
        return self.name

    @property
    def label(self):
        """「姓名（村）」: how a finding names the assistant (staffing.rules, training, supervision)."""
        return assistant_label(self.name, village_short_name(self.village.name))

    @property
    def full_time(self):
        return self.role == self.Role.FULL_TIME

    def clean(self):
        super().clean()
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("离任日期不能早于选聘日期。")}, code="end_before_start")
        if self.birth_date and self.start_date and self.start_date <= self.birth_date:
            raise ValidationError({"start_date": _("选聘日期应晚于出生日期。")}, code="start_before_birth")


register(StaffMember, label=_("民政办工作人员"), years=date_span("start_date", "end_date"))
register(AuthorizedPosts, label=_("编制数"), years=year_field())
register(DirectorOpinion, label=_("县级民政部门意见"), township="director__township_id",
         years=date_span("director__start_date", "director__end_date"))
register(VillageAssistant, label=_("村（社区）民政助理员"), township="village__township_id",
         years=date_span("start_date", "end_date"))
