"""Reads of the training app: organisers, eligible people, the county plan and a township's record.

The plan and the township page take their numbers from `compliance.gather`,
the same inputs the scorecard's training rules are decided on.
"""
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from offices.models import Role
from staffing.models import StaffMember, VillageAssistant
from training import compliance, rules
from training.models import Audience, Level, TrainingSession

ROLE_LEVEL = {Role.CITY: Level.CITY, Role.COUNTY: Level.COUNTY, Role.TOWNSHIP: Level.TOWNSHIP}


def organiser_of(user):
    """Return (level, unit) of the sessions `user` organises, or (None, None)."""
    level = ROLE_LEVEL.get(getattr(user, "role", ""))
    unit = getattr(user, "unit", None) if level else None
    return (level, unit) if unit is not None else (None, None)


def can_organise(user, session):
    """Only the organising unit's own staff enter a session's attendance."""
    level, unit = organiser_of(user)
    return level == session.level and unit is not None and getattr(session, f"{level}_id") == unit.pk


def sessions_for(user, year=None):
    queryset = TrainingSession.objects.for_user(user).select_related("city", "county", "township")
    if year:
        queryset = queryset.in_year(year)
    return queryset.annotate(attendee_count=Count("attendances")).order_by("-date", "pk")


def _in_jurisdiction(session, prefix):
    if session.level == Level.CITY:
        return Q(**{f"{prefix}county__city_id": session.city_id})
    if session.level == Level.COUNTY:
        return Q(**{f"{prefix}county_id": session.county_id})
    return Q(**{f"{prefix}pk": session.township_id})


def eligible_people(session):
    """(staff, assistants) the organiser may tick: its jurisdiction's audience, not gone before the session."""
    not_gone = Q(end_date__isnull=True) | Q(end_date__gte=session.date)
    staff = StaffMember.objects.filter(not_gone).filter(_in_jurisdiction(session, "township__"))
    assistants = VillageAssistant.objects.filter(not_gone).filter(_in_jurisdiction(session, "village__township__"))
    if session.audience == Audience.DIRECTORS:
        staff, assistants = staff.filter(post=StaffMember.Post.DIRECTOR), assistants.none()
    elif session.audience == Audience.STAFF:
        assistants = assistants.none()
    elif session.audience == Audience.ASSISTANTS:
        staff = staff.none()
    return (
        staff.select_related("township__county").order_by("township__code", "post", "name", "pk"),
        assistants.select_related("village__township__county").order_by("village__code", "name", "pk"),
    )


# --- the county plan --------------------------------------------------------------------------------------------


@dataclass
class TownshipPlan:
    township: object
    workers: list
    due: list  # of rules.Due
    covered: int = 0
    total: int = 0
    coverage: object = None  # Decimal percent or None

    def due_at(self, level):
        return [d for d in self.due if d.level == level]

    @property
    def pending(self):
        return [d for d in self.due if not d.done]


@dataclass
class CountyPlan:
    county: object
    year: int
    cycle_years: int | None
    townships: list = field(default_factory=list)  # of TownshipPlan

    @property
    def covered(self):
        return sum(t.covered for t in self.townships)

    @property
    def total(self):
        return sum(t.total for t in self.townships)

    @property
    def coverage(self):
        return rules.share(self.covered, self.total)

    def by_level(self):
        """[(level, label, due list)] — who must be trained this year, by the level that trains them."""
        return [
            (level, _(rules.LEVEL_LABELS[level]), [(t.township, d) for t in self.townships for d in t.due_at(level)])
            for level in (rules.CITY, rules.COUNTY, rules.TOWNSHIP)
        ]


def county_plan(county, townships, year, standards):
    """Build the county's plan for `year` from the compliance inputs of its townships.

    `standards` maps township id → Standard (offices.selectors.standards_for_townships);
    the county's cycle is the one of its townships' standard (None: no rotation rule).
    """
    townships = list(townships)
    inputs = compliance.gather([t.pk for t in townships], year)
    cycles = {s.training_cycle_years for s in standards.values() if s is not None}
    cycle_years = max(cycles - {None}, default=None)
    plan = CountyPlan(county=county, year=year, cycle_years=cycle_years)
    for township in townships:
        standard = standards.get(township.pk)
        cycle = standard.training_cycle_years if standard else None
        workers = inputs[township.pk].workers
        covered, total, coverage = rules.rotation_coverage(workers, year=year, cycle_years=cycle)
        plan.townships.append(TownshipPlan(
            township=township, workers=workers, due=rules.due_this_year(workers, year=year, cycle_years=cycle),
            covered=covered, total=total, coverage=coverage,
        ))
    return plan


@dataclass
class WorkerRow:
    worker: object
    in_rotation: bool | None
    right_level: bool
    before_post: bool


def township_record(township, year, standard):
    """Rows of the township's workers in post at year end with their trainings and the rule checks."""
    workers = compliance.gather([township.pk], year)[township.pk].workers
    cycle = standard.training_cycle_years if standard else None
    window = rules.cycle_window(year, cycle) if cycle else (None, rules.year_end(year))
    rows = []
    for w in workers:
        start = window[0] or w.start_date.min
        rows.append(WorkerRow(
            worker=w,
            in_rotation=rules.in_rotation(w, year, cycle) if cycle else None,
            right_level=w.trained_between(start, window[1], level=w.responsible_level),
            before_post=rules.trained_before_post(w.start_date, w.first_training()),
        ))
    return rows
