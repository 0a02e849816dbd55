"""Demo training: graded sessions for the demo years, induction before the post, realistic gaps.

Staff and assistants come from staffing.demo (run before). Each year the
city trains its directors, each county its other township staff, each
township its assistants. Most people were also trained before taking up the
post (an induction session in their start month, dated on or before their
start date); the gaps are deliberate so that every training rule fails
somewhere: directors the city never trained, people who skipped every
rotation session, newcomers trained only after they started, townships that
held no assistants' session in a year.
"""
import datetime
from decimal import Decimal

from staffing.models import StaffMember, VillageAssistant
from training.models import Attendance, Audience, Level, TrainingSession

CITY_TOPICS = ["民政办公室主任业务能力提升培训", "基层民政能力建设专题培训", "社会救助政策与实务培训"]
COUNTY_TOPICS = ["乡镇民政业务培训", "最低生活保障审核审批培训", "民政信息系统（金民工程）操作培训",
                 "养老服务与优抚安置政策培训"]
TOWNSHIP_TOPICS = ["村（社区）民政助理员业务培训", "困难群众走访与信息采集培训", "低保动态管理培训"]


def _in_post(person, day):
    return person["start_date"] <= day and (person["end_date"] is None or person["end_date"] >= day)


class _Builder:
    def __init__(self, rng):
        self.rng = rng
        self.sessions = []
        self.attendees = []  # parallel to sessions: [("staff"|"assistant", pk)]

    def session(self, *, level, unit, date, topic, audience, hours=None):
        session = TrainingSession(level=level, date=date, topic=topic, audience=audience,
                                  hours=hours or Decimal(self.rng.choice(["4.0", "8.0", "12.0", "16.0"])))
        setattr(session, level, unit)
        self.sessions.append(session)
        self.attendees.append([])
        return len(self.sessions) - 1

    def attend(self, index, kind, pk):
        self.attendees[index].append((kind, pk))

    def save(self):
        TrainingSession.objects.bulk_create(self.sessions, batch_size=2000)
        rows = [
            Attendance(session=session, **{("staff_member_id" if kind == "staff" else "assistant_id"): pk})
            for session, people in zip(self.sessions, self.attendees)
            for kind, pk in people
        ]
        Attendance.objects.bulk_create(rows, batch_size=5000)
        return len(self.sessions), len(rows)


def _day(rng, year, first_month, last_month):
    month = rng.randint(first_month, last_month)
    return datetime.date(year, month, rng.randint(1, 28))


def build(rng, units):
    """Sessions and attendance for units.years, reading staff and assistants from the database."""
    township_ids = [t.pk for t in units.townships]
    townships = {t.pk: t for t in units.townships}
    staff = list(StaffMember.objects.filter(township_id__in=township_ids).values(
        "pk", "township_id", "post", "start_date", "end_date"))
    assistants = list(VillageAssistant.objects.filter(village__township_id__in=township_ids).values(
        "pk", "village__township_id", "start_date", "end_date"))
    for a in assistants:
        a["township_id"] = a.pop("village__township_id")
    builder = _Builder(rng)
    first_year = units.years[0]

    # Gaps are concentrated in a few weak townships; elsewhere nearly everybody is trained.
    weak = {pk for pk in township_ids if rng.random() < 0.15}
    never_city = {p["pk"] for p in staff if p["post"] == StaffMember.Post.DIRECTOR and rng.random() < 0.07}
    never_county = {p["pk"] for p in staff
                    if p["post"] == StaffMember.Post.STAFF and p["township_id"] in weak and rng.random() < 0.2}
    never_township = {a["pk"] for a in assistants if a["township_id"] in weak and rng.random() < 0.03}

    _induction(rng, builder, townships, staff, assistants, first_year, weak)

    directors_by_city, staff_by_county, assistants_by_township = {}, {}, {}
    for p in staff:
        county = townships[p["township_id"]].county
        if p["post"] == StaffMember.Post.DIRECTOR:
            directors_by_city.setdefault(county.city_id, []).append(p)
        else:
            staff_by_county.setdefault(county.pk, []).append(p)
    for a in assistants:
        assistants_by_township.setdefault(a["township_id"], []).append(a)

    # Regular sessions from two years before the first demo year, so that its cycle window is full too.
    for year in range(first_year - 2, units.years[-1] + 1):
        for city in units.cities:
            date = _day(rng, year, 3, 6)
            index = builder.session(level=Level.CITY, unit=city, date=date, topic=rng.choice(CITY_TOPICS),
                                    audience=Audience.DIRECTORS, hours=Decimal("16.0"))
            for p in directors_by_city.get(city.pk, []):
                if p["pk"] not in never_city and _in_post(p, date) and rng.random() < 0.9:
                    builder.attend(index, "staff", p["pk"])
        for county in units.counties:
            date = _day(rng, year, 4, 10)
            index = builder.session(level=Level.COUNTY, unit=county, date=date, topic=rng.choice(COUNTY_TOPICS),
                                    audience=Audience.STAFF)
            for p in staff_by_county.get(county.pk, []):
                if p["pk"] not in never_county and _in_post(p, date) and rng.random() < 0.9:
                    builder.attend(index, "staff", p["pk"])
        for township in units.townships:
            if township.pk in weak and rng.random() < 0.3:
                continue  # no assistants' session this year
            date = _day(rng, year, 3, 11)
            index = builder.session(level=Level.TOWNSHIP, unit=township, date=date,
                                    topic=rng.choice(TOWNSHIP_TOPICS), audience=Audience.ASSISTANTS,
                                    hours=Decimal("4.0"))
            for a in assistants_by_township.get(township.pk, []):
                if a["pk"] not in never_township and _in_post(a, date) and rng.random() < 0.9:
                    builder.attend(index, "assistant", a["pk"])
    return builder.save()


def _induction(rng, builder, townships, staff, assistants, first_year, weak):
    """岗前培训: one session per organiser and month, dated on or before each newcomer's start date.

    Staff are inducted by their county, assistants by their township. In the
    weak townships some who started in the demo years were only trained weeks
    later, and a few were never inducted.
    """
    sessions = {}

    def session_for(level, unit, day, audience, topic):
        key = (level, unit.pk, day)
        if key not in sessions:
            sessions[key] = builder.session(level=level, unit=unit, date=day, topic=topic, audience=audience,
                                            hours=Decimal("8.0"))
        return sessions[key]

    def when(person):
        start = person["start_date"]
        if person["township_id"] not in weak:
            return start.replace(day=1)
        if start.year >= first_year and rng.random() < 0.4:
            late = start + datetime.timedelta(days=rng.randint(7, 90))
            return late.replace(day=1) if late.replace(day=1) > start else late  # after the start date
        if rng.random() < 0.02:
            return None  # never inducted
        return start.replace(day=1)

    for p in staff:
        day = when(p)
        if day is not None:
            county = townships[p["township_id"]].county
            builder.attend(session_for(Level.COUNTY, county, day, Audience.STAFF, "新任乡镇民政工作人员岗前培训"),
                           "staff", p["pk"])
    for a in assistants:
        day = when(a)
        if day is not None:
            township = townships[a["township_id"]]
            builder.attend(
                session_for(Level.TOWNSHIP, township, day, Audience.ASSISTANTS, "新聘民政助理员岗前培训"),
                "assistant", a["pk"],
            )
