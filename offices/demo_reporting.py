"""Demo reporting cycle: deadlines, annual reports in realistic states, and a change history to look at.

2023 and 2024 are accepted for about nine townships in ten (the rest approved by
the county and waiting for the city, or returned); 2025 is in progress: some
townships still 填报中, some submitted on time and some late, some returned with
a reason (overall and per rule), some approved, a few accepted. The demo logins
land on something to do: town371302001 has 2025 returned, county371302 has
reports to review, city3713 reports to accept.

Every transition goes through the services (offices.reporting) as the user who
would make it, from a plausible address, so the timeline, the snapshots and the
locks are the real ones. The services stamp the present; a report filed in
January 2026 must say January 2026, so `_Clock` afterwards moves the times of
the reports, their events and their snapshots to the planned ones — a direct
update allowed in this demo builder only (events are append-only everywhere else).
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from offices import reporting, services
from offices.acting import acting_as
from offices.compliance import Status, store
from offices.models import (
    AnnualReport,
    ComplianceResult,
    Population,
    ReportAction,
    ReportEvent,
    ReportSnapshot,
    ReportState,
    Role,
    TownshipOffice,
    User,
)

ACCEPTED_SHARE = 0.90  # of the past years' reports
RETURNED_BEFORE_ACCEPTED = 0.10  # of the accepted ones: returned once and fixed first
LATE_SHARE = 0.25  # of the reports submitted
RETURN_REASONS = [
    "自评说明过于简略，请逐项说明达标情况并附佐证材料。",
    "部分指标数据与上年度差异较大，请核实后重新报送。",
    "人员与经费数据与县级台账不一致，请核对后重新报送。",
]
RULE_REASONS = [
    "请补充相关佐证材料（照片、文件或台账）。",
    "数据与县级掌握的情况不符，请核实。",
    "请说明未达标原因及整改计划和时限。",
]
STATEMENTS = [
    "本年度按照规范化建设标准开展自查，各项数据已核实。",
    "已对照标准逐项自查，未达标项目已制定整改计划。",
    "经乡镇党委、政府审核，自评结果真实准确。",
]


def calendar_dates(year):
    """(submit by, review by) of a year: the end of January and of February after it."""
    return date(year + 1, 1, 31), date(year + 1, 2, 28)


@dataclass
class _Planned:
    """The times a report's transitions should carry, in the order the services ran them."""

    report: AnnualReport
    times: list = field(default_factory=list)  # one per event, in event order
    submits: list = field(default_factory=list)
    approved: datetime | None = None
    accepted: datetime | None = None


class _Clock:
    """Plans each transition's time and afterwards writes the planned times over the stamped ones."""

    def __init__(self, rng):
        self.rng = rng
        self.now = timezone.now()
        self.plans = {}

    def at(self, day, after=None):
        """A working-hours moment on `day` (after `after`, never in the future)."""
        moment = timezone.make_aware(datetime.combine(day, time(self.rng.randint(8, 17), self.rng.randint(0, 59))))
        if after is not None and moment <= after:
            moment = after + timedelta(minutes=self.rng.randint(20, 240))
        return min(moment, self.now - timedelta(minutes=5))

    def record(self, report, moment, action):
        plan = self.plans.setdefault(report.pk, _Planned(report))
        plan.times.append(moment)
        if action == ReportAction.SUBMIT:
            plan.submits.append(moment)
        elif action == ReportAction.APPROVE:
            plan.approved = moment
        elif action == ReportAction.ACCEPT:
            plan.accepted = moment

    def apply(self):
        """Move the reports', events' and snapshots' times to the planned ones (demo only: see the module doc)."""
        reports, events, snapshots = [], [], []
        times = {}
        for event in ReportEvent.objects.filter(report_id__in=self.plans).order_by("report_id", "pk"):
            times.setdefault(event.report_id, []).append(event)
        for pk, plan in self.plans.items():
            for event, moment in zip(times.get(pk, []), plan.times, strict=True):
                event.at = moment
                events.append(event)
            report = plan.report
            report.first_submitted_at = plan.submits[0] if plan.submits else None
            report.submitted_at = plan.submits[-1] if plan.submits else None
            report.approved_at, report.accepted_at = plan.approved, plan.accepted
            reports.append(report)
        event_times = {event.pk: event.at for event in events}
        for snapshot in ReportSnapshot.objects.filter(report_id__in=self.plans).only("pk", "event_id"):
            snapshot.taken_at = event_times[snapshot.event_id]
            snapshots.append(snapshot)
        AnnualReport.objects.bulk_update(
            reports, ["first_submitted_at", "submitted_at", "approved_at", "accepted_at"], batch_size=500)
        ReportEvent.objects.bulk_update(events, ["at"], batch_size=1000)
        ReportSnapshot.objects.bulk_update(snapshots, ["taken_at"], batch_size=1000)


class _Cycle:
    """Walks each township-year through the transitions its plan says, as the right users, at planned times."""

    def __init__(self, rng, units, clock):
        self.rng, self.clock = rng, clock
        users = User.objects.filter(role__in=[Role.CITY, Role.COUNTY, Role.TOWNSHIP]).select_related(
            "city", "county", "township")
        self.clerks = {u.township_id: u for u in users if u.role == Role.TOWNSHIP}
        self.counties = {u.county_id: u for u in users if u.role == Role.COUNTY}
        self.city = next((u for u in users if u.role == Role.CITY), None)
        self.county_index = {county.pk: index for index, county in enumerate(units.counties)}
        years = list(units.years)
        self.failing = {}
        for township_id, year, code, texts in ComplianceResult.objects.filter(
                township__in=units.townships, year__in=years, status=Status.FAIL).values_list(
                "township_id", "year", "code", "texts").order_by("township_id", "year", "position"):
            title = (texts.get("zh-hans") or {}).get("title") or code
            self.failing.setdefault((township_id, year), []).append((code, title))

    def address(self, township, level):
        county = self.county_index.get(township.county_id, 0)
        if level == "township":
            return f"10.{county + 1}.{township.pk % 250 + 1}.{self.rng.randint(10, 60)}"
        if level == "county":
            return f"10.{county + 1}.0.{self.rng.randint(2, 9)}"
        return f"10.0.0.{self.rng.randint(2, 9)}"

    def submit(self, township, year, moment):
        clerk = self.clerks[township.pk]
        with acting_as(clerk, self.address(township, "township")):
            report = reporting.report_submit(township=township, year=year, statement=self.rng.choice(STATEMENTS))
        self.clock.record(report, moment, ReportAction.SUBMIT)
        return report

    def county_return(self, township, report, moment):
        failing = self.failing.get((township.pk, report.year), [])
        chosen = self.rng.sample(failing, k=min(len(failing), self.rng.randint(1, 2)))
        rule_reasons = {code: self.rng.choice(RULE_REASONS) for code, _title in chosen}  # the page names the rule
        user = self.counties[township.county_id] if report.state == ReportState.SUBMITTED else self.city
        level = "county" if report.state == ReportState.SUBMITTED else "city"
        action = ReportAction.COUNTY_RETURN if level == "county" else ReportAction.CITY_RETURN
        with acting_as(user, self.address(township, level)):
            report = reporting.report_return(report=report, reason=self.rng.choice(RETURN_REASONS),
                                             rule_reasons=rule_reasons)
        self.clock.record(report, moment, action)
        return report

    def approve(self, township, report, moment):
        with acting_as(self.counties[township.county_id], self.address(township, "county")):
            report = reporting.report_approve(report=report, note="经审核，同意上报。")
        self.clock.record(report, moment, ReportAction.APPROVE)
        return report

    def accept(self, township, report, moment):
        with acting_as(self.city, self.address(township, "city")):
            report = reporting.report_accept(report=report, note="验收通过。")
        self.clock.record(report, moment, ReportAction.ACCEPT)
        return report

    def walk(self, township, year, target, *, late=False, returned_first=False, return_by_city=False):
        """Take the township-year to `target`, submitting late or returned once on the way if asked."""
        if target == ReportState.DRAFT:
            reporting.report_for(township, year)  # opened, 填报中
            return
        submit_by, review_by = calendar_dates(year)
        rng, clock = self.rng, self.clock
        first_day = submit_by + timedelta(days=rng.randint(1, 40)) if late else submit_by - timedelta(
            days=rng.randint(0, 27))
        moment = clock.at(first_day)
        report = self.submit(township, year, moment)
        if returned_first or (target == ReportState.RETURNED and not return_by_city):
            moment = clock.at(first_day + timedelta(days=rng.randint(3, 12)), after=moment)
            report = self.county_return(township, report, moment)
            if target == ReportState.RETURNED:
                return
            moment = clock.at(first_day + timedelta(days=rng.randint(13, 20)), after=moment)
            report = self.submit(township, year, moment)
        if target == ReportState.SUBMITTED:
            return
        review_day = first_day + timedelta(days=rng.randint(5, 25))
        moment = clock.at(review_day if late else min(review_by, review_day), after=moment)
        report = self.approve(township, report, moment)
        if target == ReportState.APPROVED:
            return
        moment = clock.at(review_by + timedelta(days=rng.randint(3, 30)), after=moment)
        if target == ReportState.RETURNED:  # returned by the city after the county approved
            self.county_return(township, report, moment)
            return
        self.accept(township, report, moment)


def deal(rng, townships, shares, rest):
    """{township: state}: each state of `shares` [(state, share)] to that share of the townships (at least one
    each while there are townships left), in a seeded order; the others get `rest`."""
    order = list(townships)
    rng.shuffle(order)
    states, start = {}, 0
    for state, share in shares:
        count = min(max(1, round(share * len(order))), len(order) - start)
        states.update((township, state) for township in order[start:start + count])
        start += count
    states.update((township, rest) for township in order[start:])
    return states


PAST_YEAR_SHARES = [(ReportState.APPROVED, (1 - ACCEPTED_SHARE) / 2), (ReportState.RETURNED, (1 - ACCEPTED_SHARE) / 2)]
CURRENT_YEAR_SHARES = [(ReportState.SUBMITTED, 0.25), (ReportState.RETURNED, 0.15), (ReportState.APPROVED, 0.25),
                       (ReportState.ACCEPTED, 0.08)]


def _past_year_options(rng, state):
    if state == ReportState.ACCEPTED:
        return {"returned_first": rng.random() < RETURNED_BEFORE_ACCEPTED}
    if state == ReportState.RETURNED:
        return {"return_by_city": rng.random() < 0.5}
    return {}


def _current_year_options(rng, state):
    if state == ReportState.DRAFT:
        return {}
    options = {"late": rng.random() < LATE_SHARE}
    if state == ReportState.APPROVED:
        options["returned_first"] = rng.random() < 0.15
    return options


# The first county's first townships: each demo login finds its to-do list filled.
FIRST_COUNTY_2025 = [
    (ReportState.RETURNED, {}),  # town371302001: 已退回, with reasons beside the rules (and it can resubmit)
    (ReportState.SUBMITTED, {"late": True}),  # county371302: 待审核, one late
    (ReportState.SUBMITTED, {}),
    (ReportState.APPROVED, {}),  # city3713: 待验收
    (ReportState.DRAFT, {}),
]


def demo_edits(rng, township, clerk, years):
    """A few corrections by the demo township's clerk, so its 变更记录 page shows before and after."""
    last, previous = years[-1], years[-2]
    with acting_as(clerk, "10.0.0.21"):
        population = Population.objects.get(township=township, year=last)
        services.population_set(township=township, year=last, resident=population.resident + rng.randint(300, 900),
                                registered=population.registered)
        office = TownshipOffice.objects.filter(township=township).first()
        if office is not None:
            services.office_update(township=township, name=office.name, setup=office.setup,
                                   parent_office_name=office.parent_office_name,
                                   address=f"{township.name}便民服务中心二楼", phone=office.phone)
    with acting_as(clerk, "10.0.0.22"):
        population = Population.objects.get(township=township, year=previous)
        services.population_set(township=township, year=previous, resident=population.resident,
                                registered=population.registered - rng.randint(100, 400))
        population = Population.objects.get(township=township, year=last)
        services.population_set(township=township, year=last, resident=population.resident - rng.randint(50, 200),
                                registered=population.registered)


def build(rng, units):
    """Deadlines for the demo years, the demo's annual reports in their states, and a few recorded edits."""
    city, years = units.cities[0], list(units.years)
    city_user = User.objects.filter(role=Role.CITY, city=city).first()
    with acting_as(city_user, "10.0.0.2"):
        for year in years:
            submit_by, review_by = calendar_dates(year)
            reporting.calendar_set(city=city, year=year, submit_by=submit_by, review_by=review_by)
    townships = sorted(units.townships, key=lambda t: t.code)
    first = townships[0]
    demo_edits(rng, first, User.objects.get(role=Role.TOWNSHIP, township=first), years)
    # The snapshots freeze stored results: store every demo year of every township once, in batches.
    store.recompute_all(townships=townships, years=years)
    clock = _Clock(rng)
    cycle = _Cycle(rng, units, clock)
    first_county = [t for t in townships if t.county_id == first.county_id]
    forced = dict(zip(first_county, FIRST_COUNTY_2025))
    for year in years[:-1]:
        states = deal(rng, townships, PAST_YEAR_SHARES, ReportState.ACCEPTED)
        for township in townships:
            cycle.walk(township, year, states[township], **_past_year_options(rng, states[township]))
    states = deal(rng, [t for t in townships if t not in forced], CURRENT_YEAR_SHARES, ReportState.DRAFT)
    for township in townships:
        target, options = forced.get(township) or (states[township], _current_year_options(rng, states[township]))
        cycle.walk(township, years[-1], target, **options)
    clock.apply()
