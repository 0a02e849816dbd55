"""Demo staffing: synthetic people for the demo city, shaped like seed 000's figures.

Most townships meet the standard; a realistic minority is short of posts or
staff, has villages without an assistant, unfiled assistants, or a director
appointed without the county's opinion — so every staffing rule fails
somewhere. Workforce mix: ≈ 78% full-time, ≈ 74% junior college or higher,
ages 25–58, some 助理社会工作师. Only `rng` supplies randomness.
"""
import datetime

from offices.selectors import township_contexts
from staffing import rules
from staffing.models import AuthorizedPosts, DirectorOpinion, StaffMember, VillageAssistant

# Common surnames, most frequent first (weights fall off along the list).
SURNAMES = (
    "王张李刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任"
    "姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文庞颜"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂华玉萍红英建国志文斌海燕晓东兵鹏辉彬飞鑫宇浩凯健俊帆帅旭宁龙林欣"
    "瑶婷倩雪琳晶颖慧莉丹凤秀兰梅琴云莲真环荣爱妹娥燕春菊青庆德振新宏亮峰成康永胜祥学福泽波坤瑞"
)

STAFF_EDUCATION = (("postgraduate", 4), ("bachelor", 39), ("junior_college", 33), ("secondary", 19), ("below", 5))
ASSISTANT_EDUCATION = (("bachelor", 10), ("junior_college", 30), ("secondary", 45), ("below", 15))
QUALIFICATION = (("", 78), ("assistant", 15), ("social_worker", 6), ("senior", 1))
ASSISTANT_ROLE = (("two_committees", 62), ("accountant", 24), ("full_time", 14))


def _pick(rng, weighted):
    values, weights = zip(*weighted)
    return rng.choices(values, weights=weights)[0]


def _name(rng):
    surname = rng.choices(SURNAMES, weights=[1 / (i + 4) for i in range(len(SURNAMES))])[0]
    return surname + "".join(rng.choice(GIVEN) for _ in range(1 if rng.random() < 0.3 else 2))


def _day(rng, start, end):
    """A random date between `start` and `end` inclusive."""
    return start + datetime.timedelta(days=rng.randint(0, max((end - start).days, 0)))


def _birth(rng, last_year, low_age, high_age):
    return _day(rng, datetime.date(last_year - high_age, 1, 1), datetime.date(last_year - low_age, 12, 30))


def _after(rng, day, low, high):
    return day + datetime.timedelta(days=rng.randint(low, high))


def _required(units):
    """Required posts per (township id, year) under each township's standard, in 2 × len(years) queries."""
    required = {}
    for year in units.years:
        for township, context in township_contexts(units.townships, year):
            if context.population is not None and context.standard is not None:
                required[township.pk, year] = rules.required_posts_for(context.standard, context.population)
    return required


class _StaffBuilder:
    def __init__(self, rng, years):
        self.rng = rng
        self.years = years
        self.first, self.last = years[0], years[-1]
        self.people = []
        self.opinions = []  # (director, opinion_date | None) — dates resolved after bulk_create

    def person(self, township, *, post=StaffMember.Post.STAFF, start=None, end=None):
        rng = self.rng
        birth = _birth(rng, self.last, 25, 58)
        earliest = max(datetime.date(birth.year + 22, birth.month, 1), datetime.date(1992, 1, 1))
        start = start or _day(rng, earliest, datetime.date(self.first - 1, 12, 31))
        start = max(start, _after(rng, birth, 365 * 21, 365 * 22))
        person = StaffMember(
            township=township, name=_name(rng), sex="male" if rng.random() < 0.55 else "female", birth_date=birth,
            education=_pick(rng, STAFF_EDUCATION), full_time=rng.random() < 0.78, post=post,
            qualification=_pick(rng, QUALIFICATION), start_date=start, end_date=end,
        )
        if end is not None and end < start:
            person.end_date = _after(rng, start, 30, 400)
        self.people.append(person)
        if post == StaffMember.Post.DIRECTOR:
            roll = rng.random()
            if roll < 0.88:
                self.opinions.append((person, start - datetime.timedelta(days=rng.randint(0, 60))))
            elif roll < 0.93:
                self.opinions.append((person, start + datetime.timedelta(days=rng.randint(5, 40))))  # sought late
            # else: never sought — a finding
        return person

    def township(self, township, headcount):
        """`headcount` people in post at the end of the last year, with some turnover before."""
        rng = self.rng
        leave_year = rng.choice(self.years[:-1] or self.years)
        if rng.random() < 0.04:
            # The director left this year and nobody has been appointed yet.
            self.person(township, post=StaffMember.Post.DIRECTOR, end=_day(rng, datetime.date(self.last, 2, 1),
                                                                             datetime.date(self.last, 11, 30)))
        elif rng.random() < 0.12:
            left = _day(rng, datetime.date(leave_year, 1, 15), datetime.date(leave_year, 9, 30))
            self.person(township, post=StaffMember.Post.DIRECTOR, end=left)
            self.person(township, post=StaffMember.Post.DIRECTOR, start=_after(rng, left, 10, 90))
        else:
            self.person(township, post=StaffMember.Post.DIRECTOR)
        for _ in range(headcount - 1):
            if rng.random() < 0.12:
                # Someone left; the replacement came some months later.
                left = _day(rng, datetime.date(leave_year, 1, 15), datetime.date(leave_year, 10, 31))
                self.person(township, end=left)
                self.person(township, start=_after(rng, left, 20, 200))
            else:
                self.person(township)
        if rng.random() < 0.1:
            # A former colleague who retired before the demo years.
            left = _day(rng, datetime.date(self.first - 6, 1, 1), datetime.date(self.first - 1, 6, 30))
            self.person(township, end=left)


def build_staff(rng, units, required):
    posts, builder = [], _StaffBuilder(rng, units.years)
    for township in units.townships:
        needed = {year: required.get((township.pk, year)) for year in units.years}
        if needed[units.years[-1]] is None:
            continue
        roll = rng.random()
        offset = -rng.randint(1, 2) if roll < 0.12 else (1 if roll < 0.30 else 0)
        improving = offset < 0 and rng.random() < 0.35  # short earlier, fixed in the last year
        for year in units.years:
            if needed[year] is None:
                continue
            year_offset = 0 if improving and year == units.years[-1] else offset
            posts.append(AuthorizedPosts(township=township, year=year, posts=max(needed[year] + year_offset, 1)))
        staff_roll = rng.random()
        headcount = needed[units.years[-1]] - (rng.randint(1, 2) if staff_roll < 0.14 else 0)
        headcount += 1 if 0.14 <= staff_roll < 0.26 else 0
        builder.township(township, max(headcount, 1))
    AuthorizedPosts.objects.bulk_create(posts, batch_size=2000)
    StaffMember.objects.bulk_create(builder.people, batch_size=2000)
    opinions = [
        DirectorOpinion(
            director=director, opinion_date=day,
            reference=f"{director.township.county.name}民函〔{day.year}〕{rng.randint(1, 180)}号",
        )
        for director, day in builder.opinions
    ]
    DirectorOpinion.objects.bulk_create(opinions, batch_size=2000)
    return builder.people


def _assistant(rng, village, last_year, *, start=None, end=None, filed=True):
    birth = _birth(rng, last_year, 28, 60)
    start = start or _day(rng, datetime.date(2008, 1, 1), datetime.date(last_year - 3, 12, 31))
    start = max(start, _after(rng, birth, 365 * 21, 365 * 22))
    return VillageAssistant(
        village=village, name=_name(rng), sex="male" if rng.random() < 0.6 else "female", birth_date=birth,
        education=_pick(rng, ASSISTANT_EDUCATION), role=_pick(rng, ASSISTANT_ROLE), start_date=start,
        end_date=end if end is None or end >= start else _after(rng, start, 30, 400),
        filed_date=_after(rng, start, 5, 60) if filed else None,
    )


def build_assistants(rng, units):
    years = units.years
    first, last = years[0], years[-1]
    by_township = {}
    for village in units.villages:
        by_township.setdefault(village.township_id, []).append(village)
    assistants = []
    for villages in by_township.values():
        lacking = set(rng.sample(villages, min(len(villages), rng.randint(1, 4)))) if rng.random() < 0.1 else set()
        unfiled = set(rng.sample(villages, min(len(villages), rng.randint(1, 3)))) if rng.random() < 0.15 else set()
        for village in villages:
            if village in lacking:
                if rng.random() < 0.5:
                    # Had an assistant who left; not yet replaced.
                    left = _day(rng, datetime.date(last - 1, 3, 1), datetime.date(last, 11, 30))
                    assistants.append(_assistant(rng, village, last, end=left))
                continue
            filed = village not in unfiled
            if rng.random() < 0.07:
                left_year = rng.choice(years[:-1] or years)
                left = _day(rng, datetime.date(left_year, 1, 15), datetime.date(left_year, 10, 31))
                assistants.append(_assistant(rng, village, last, end=left))
                assistants.append(_assistant(rng, village, last, start=_after(rng, left, 0, 60), filed=filed))
            else:
                assistants.append(_assistant(rng, village, last, filed=filed))
            if rng.random() < 0.06:
                assistants.append(_assistant(rng, village, last, start=_day(rng, datetime.date(first, 1, 1),
                                                                            datetime.date(last, 6, 30))))
    VillageAssistant.objects.bulk_create(assistants, batch_size=2000)
    return assistants


def build(rng, units):
    """Staff, posts, director opinions and village assistants for the demo years."""
    required = _required(units)
    build_staff(rng, units, required)
    build_assistants(rng, units)
