"""Build the demo city: real divisions of 临沂市, synthetic figures, a login per role."""
import random

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction
from django.utils.module_loading import import_string

from offices import demo as offices_demo
from offices.compliance import store
from offices.models import City, Population, Township, User, Village

# Each upper app's demo step: build(rng, units) after the hierarchy exists.
# Each app builds its own rows; supervision comes before training, whose demo inducts the assistants
# that supervision appoints to replace those graded 不称职.
DEMO_STEPS = [
    "staffing.demo.build",
    "funding.demo.build",
    "facilities.demo.build",
    "regulations.demo.build",
    "supervision.demo.build",
    "training.demo.build",
    # Deadlines, the annual reports in realistic states and a few recorded edits (after every app's data:
    # the snapshots freeze the results of all of it).
    "offices.demo_reporting.build",
    "security.demo.build",  # the three administrators (三员分立)
]


def demo_steps():
    return [import_string(path) for path in DEMO_STEPS]


class Command(BaseCommand):
    help = "载入演示数据：临沂市真实区划，合成的人口、人员、经费等数据，以及各角色登录账号。"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=3713, help="随机种子（默认 3713），相同种子生成相同数据。")
        parser.add_argument(
            "--if-empty", action="store_true", help="数据库已有区划数据时不再载入，只打印演示账号（make run 每次都这样）。"
        )
        parser.add_argument("--logins", action="store_true", help="只打印演示账号，不载入数据；随时可运行（make logins）。")

    def handle(self, *args, seed, if_empty, logins, **options):
        if logins:
            self.print_existing_logins()
            return
        if City.objects.exists():
            if if_empty:
                self.stdout.write("演示数据已存在，跳过载入。")
                self.print_existing_logins()
                return
            raise CommandError(
                "数据库中已有区划数据；load_demo 只能在空数据库上运行（可用 --if-empty 跳过，--logins 打印演示账号）。"
            )
        rng = random.Random(seed)
        with transaction.atomic():
            # Each service would recompute its township after every write: the demo's thousands of writes
            # recompute each township once, then every demo year is computed and stored.
            with store.recompute_once():
                units = offices_demo.build(rng)
                for step in demo_steps():
                    step(rng, units)
            count = store.recompute_all()
        self.stdout.write(f"已计算并保存 {count} 个乡镇年度的达标结果。")
        self.print_logins(units)

    def print_logins(self, units):
        city = units.cities[0]
        self.stdout.write(self.style.SUCCESS(
            f"已载入演示数据：{city.name}，{len(units.counties)} 个县级单位，{len(units.townships)} 个乡镇（街道），"
            f"{len(units.villages)} 个村（社区），年度 {units.years[0]}–{units.years[-1]}。人口等数字为合成数据。"
        ))
        self.write_accounts(city, units.counties[0], units.townships[0])

    def print_existing_logins(self):
        """Print the logins of the demo already in the database: the same list as after loading it."""
        try:
            city = City.objects.order_by("code").first()
        except DatabaseError:
            raise CommandError("数据库尚未建立：先运行 make run（或 manage.py migrate 后 load_demo）。") from None
        if city is None:
            raise CommandError("数据库中还没有演示数据：先运行 make run（或 manage.py load_demo）。")
        county = city.counties.order_by("code").first()
        township = county.townships.order_by("code").first() if county else None
        if township is None or not User.objects.filter(username=f"city{city.code[:4]}").exists():
            raise CommandError("数据库中的区划数据不是 load_demo 载入的，没有演示账号。")
        counties = city.counties.count()
        townships = Township.objects.filter(county__city=city).count()
        villages = Village.objects.filter(township__county__city=city).count()
        years = sorted(
            Population.objects.filter(township__county__city=city).order_by().values_list("year", flat=True).distinct()
        )
        span = f"，年度 {years[0]}–{years[-1]}" if years else ""
        self.stdout.write(
            f"演示数据：{city.name}，{counties} 个县级单位，{townships} 个乡镇（街道），{villages} 个村（社区）{span}。"
        )
        self.write_accounts(city, county, township)

    def write_accounts(self, city, county, township):
        write = self.stdout.write
        write(f"所有演示账号的密码：{offices_demo.DEMO_PASSWORD}")
        write(f"  市民政局     用户名 city{city.code[:4]}（{city.name}）")
        write(f"  县区民政局   用户名 county{county.code[:6]}（{county.name}；其他县区同理：county+6位代码）")
        write(f"  乡镇民政办   用户名 town{township.code[:9]}（{township.name}；其他乡镇同理：town+9位代码）")
        write("  系统管理员   用户名 sysadmin（标准、区划、用户所属单位）")
        write("  安全管理员   用户名 secadmin（账号、角色、密码重置、登录锁定）")
        write("  审计管理员   用户名 auditadmin（只读安全事件日志）")
        write("  超级用户     用户名 admin（仅用于安装与任命管理员，日常管理请用上面三个账号）")
