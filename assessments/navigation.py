"""Navigation entries for each role (registered through WUYOU_NAV_HOOKS)."""
from django.utils.translation import gettext as _

from offices.context_processors import link


def menu(label, icon, children):
    children = [child for child in children if child]
    return {"label": label, "icon": icon, "children": children, "url": ""} if children else None


def township_data_menu(code):
    return menu(_("数据录入"), "pencil-square", [
        link(_("人口与民政办"), "offices:township", code),
        link(_("人员与编制"), "staffing:staff_list", code),
        link(_("村（社区）民政助理员"), "staffing:assistant_list", code),
        link(_("经费预算"), "funding:budget", code),
        link(_("助理员补助发放"), "funding:subsidies", code),
        link(_("办公场所与功能室"), "facilities:rooms", code),
        link(_("办公设备（七有）"), "facilities:equipment", code),
        link(_("村级工作站场所"), "facilities:stations", code),
        link(_("规章制度"), "regulations:list", code),
        link(_("培训记录"), "training:township", code),
        link(_("助理员年度考评"), "supervision:grades", code),
        link(_("满意度与购买服务"), "supervision:township_records", code),
        link(_("批量导入（Excel）"), "imports:start"),
    ])


def items(user):
    if user.is_city:
        code = user.city.code
        return [
            link(_("全市看板"), "assessments:dashboard", code, icon="bar-chart"),
            link(_("通报"), "assessments:circular_list", icon="megaphone"),
            link(_("培训"), "training:session_list", icon="mortarboard"),
            link(_("实地检查"), "supervision:inspection_list", icon="clipboard-check"),
        ]
    if user.is_county:
        code = user.county.code
        return [
            link(_("本县区达标情况"), "assessments:county", code, icon="table"),
            link(_("培训计划"), "training:plan", code, icon="mortarboard"),
            link(_("培训班"), "training:session_list", icon="calendar-event"),
            link(_("实地检查"), "supervision:inspection_list", icon="clipboard-check"),
            link(_("批量导入"), "imports:start", icon="upload"),
        ]
    if user.is_township:
        code = user.township.code
        return [
            link(_("达标情况"), "assessments:scorecard", code, icon="clipboard-data"),
            township_data_menu(code),
            link(_("培训班"), "training:session_list", icon="mortarboard"),
        ]
    return []
