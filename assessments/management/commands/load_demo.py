"""Build the demo city: real divisions of 临沂市, synthetic figures, a login per role."""
import random

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

from offices import demo as offices_demo
from offices.models import City

# Each upper app's demo step: build(rng, units) after the hierarchy exists.
# Order follows the layering: the apps on offices, then assessments on top.
DEMO_STEPS = [
    "staffing.demo.build",
    "funding.demo.build",
    "facilities.demo.build",
    "offices.regulations_demo.build_regulations",
    "training.demo.build",
    "assessments.records_demo.build",
]


def demo_steps():
    return [import_string(path) for path in DEMO_STEPS]


class Command(BaseCommand):
    help = "载入演示数据：临沂市真实区划，合成的人口、人员、经费等数据，以及各角色登录账号。"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=3713, help="随机种子（默认 3713），相同种子生成相同数据。")
        parser.add_argument("--if-empty", action="store_true", help="数据库已有区划数据时不做任何事。")

    def handle(self, *args, seed, if_empty, **options):
        if City.objects.exists():
            if if_empty:
                self.stdout.write("演示数据已存在，跳过。")
                return
            raise CommandError("数据库中已有区划数据；load_demo 只能在空数据库上运行（可用 --if-empty 跳过）。")
        rng = random.Random(seed)
        with transaction.atomic():
            units = offices_demo.build(rng)
            for step in demo_steps():
                step(rng, units)
        self.print_logins(units)

    def print_logins(self, units):
        city = units.cities[0]
        county = units.counties[0]
        township = units.townships[0]
        write = self.stdout.write
        write(self.style.SUCCESS(
            f"已载入演示数据：{city.name}，{len(units.counties)} 个县级单位，{len(units.townships)} 个乡镇（街道），"
            f"{len(units.villages)} 个村（社区），年度 {units.years[0]}–{units.years[-1]}。人口等数字为合成数据。"
        ))
        write(f"所有演示账号的密码：{offices_demo.DEMO_PASSWORD}")
        write(f"  市民政局     用户名 city{city.code[:4]}（{city.name}）")
        write(f"  县区民政局   用户名 county{county.code[:6]}（{county.name}；其他县区同理：county+6位代码）")
        write(f"  乡镇民政办   用户名 town{township.code[:9]}（{township.name}；其他乡镇同理：town+9位代码）")
        write("  系统管理员   用户名 admin")
