"""Controlled vocabularies that standards refer to by code.

They live in the base app because a `Standard` (data) names them; the apps that
record rooms, equipment, regulations and grades reuse these same choices.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _


class RoomKind(models.TextChoices):
    OFFICE = "office", _("办公室")
    RECEPTION = "reception", _("群众接待室")
    SERVICE_WINDOW = "service_window", _("服务窗口")
    ARCHIVE = "archive", _("档案室")
    STORAGE = "storage", _("物资储备室")
    OTHER = "other", _("其他")


class EquipmentKind(models.TextChoices):
    """Office equipment, by the codes a standard's list of required equipment uses.

    A standard names a computer in one of two ways. COMPUTER 「电脑（可联网）」
    counts only computers that can go online (the default standard asks for
    that); ANY_COMPUTER 「电脑」 counts every computer (Liyang 2005 asks for
    电脑). An office records each of its computers as COMPUTER with a
    "networked" flag, so ANY_COMPUTER is only ever a requirement, never a
    recorded kind.
    """

    TELEPHONE = "telephone", _("电话")
    COMPUTER = "computer", _("电脑（可联网）")
    ANY_COMPUTER = "computer_any", _("电脑")
    PRINTER = "printer", _("打印机")
    DESK_CHAIRS = "desk_chairs", _("办公桌椅")
    AV_RECORDER = "av_recorder", _("影录设备")
    ARCHIVE_CABINET = "archive_cabinet", _("档案橱")
    SERVICE_VEHICLE = "service_vehicle", _("联系服务群众专用车")
    AIR_CONDITIONER = "air_conditioner", _("空调")
    FAX = "fax", _("传真机")


class RegulationKind(models.TextChoices):
    PROCEDURES = "procedures", _("办事程序")
    POST_RESPONSIBILITY = "post_responsibility", _("岗位责任")
    SERVICE_COMMITMENT = "service_commitment", _("服务承诺")
    ARCHIVES = "archives", _("档案管理")
    FIRST_INQUIRY = "first_inquiry", _("首问负责")
    TIME_LIMIT = "time_limit", _("限时办结")
    FINANCE = "finance", _("财务收支")
    ASSESSMENT_REWARDS = "assessment_rewards", _("考核奖惩")


class AssistantGrade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    COMPETENT = "competent", _("称职")
    BASIC = "basic", _("基本称职")
    INCOMPETENT = "incompetent", _("不称职")


class Rounding(models.TextChoices):
    FLOOR = "floor", _("向下取整（每满2万人增加1名）")
    CEIL = "ceil", _("向上取整（不足2万按2万计）")


class PopulationBasis(models.TextChoices):
    RESIDENT = "resident", _("常住人口")
    REGISTERED = "registered", _("户籍人口")
