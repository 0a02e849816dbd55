"""Reads of the training app: organisers, eligible people, the county plan and a township's record.

The plan and the township page read the one computation
(`offices.compliance.engine`, restricted to `training.compliance`): who is
out of rotation, trained by the wrong level or not before the post, and who
had to be trained in the year, come from the rules' results; the gathered
inputs only supply what the rows show (start dates, trainings).
"""
import re
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from offices.compliance import share
from offices.compliance.store import module_codes, stored_compliance, township_results
from offices.models import village_short_name
from offices.selectors import township_context
from staffing.models import StaffMember, VillageAssistant
from staffing.querysets import in_post_at_year_end
from training import compliance, rules
from training.models import Audience, Level, TrainingSession

# The level of the sessions a user organises: the user's own unit.
USER_LEVELS = (("is_city", Level.CITY), ("is_county", Level.COUNTY), ("is_township", Level.TOWNSHIP))


def organiser_of(user):
    """Return (level, unit) of the sessions `user` organises, or (None, None)."""
    for role_property, level in USER_LEVELS:
        if getattr(user, role_property, False):
            return level, user.unit
    return None, None


def can_organise(user, session):
    """Only the organising unit's own staff enter a session's attendance."""
    level, unit = organiser_of(user)
    return level == session.level and unit is not None and getattr(session, f"{level}_id") == unit.pk


def sessions_for(user, year=None):
    """The sessions `user` sees (of `year`, if given), newest first, with their attendance count and the
    organiser's name (the list sorts by it in SQL: exactly one of the three units is set)."""
    queryset = TrainingSession.objects.for_user(user).select_related("city", "county", "township")
    if year:
        queryset = queryset.in_year(year)
    return queryset.annotate(
        attendee_count=Count("attendances"), organiser_name=Coalesce("city__name", "county__name", "township__name"),
    ).order_by("-date", "pk")


def plan_sessions(user, county, year):
    """The year's sessions that could train the county's people: the city's, the county's and its townships'."""
    reach = (Q(level=Level.CITY, city_id=county.city_id) | Q(level=Level.COUNTY, county_id=county.pk)
             | Q(level=Level.TOWNSHIP, township__county_id=county.pk))
    return sessions_for(user, year).filter(reach).order_by("date", "pk")


def _in_jurisdiction(session, prefix):
    if session.level == Level.CITY:
        return Q(**{f"{prefix}county__city_id": session.city_id})
    if session.level == Level.COUNTY:
        return Q(**{f"{prefix}county_id": session.county_id})
    return Q(**{f"{prefix}pk": session.township_id})


def eligible_people(session, audience=None):
    """(staff, assistants) the organiser may tick: its jurisdiction's audience, not gone before the session.

    `audience` overrides the session's (Audience.ALL: everyone in the jurisdiction, whom the forms accept so
    that the service can name who does not fit).
    """
    audience = session.audience if audience is None else audience
    not_gone = Q(end_date__isnull=True) | Q(end_date__gte=session.date)
    staff = StaffMember.objects.filter(not_gone).filter(_in_jurisdiction(session, "township__"))
    assistants = VillageAssistant.objects.filter(not_gone).filter(_in_jurisdiction(session, "village__township__"))
    if audience == Audience.DIRECTORS:
        staff, assistants = staff.filter(post=StaffMember.Post.DIRECTOR), assistants.none()
    elif audience == Audience.STAFF:
        assistants = assistants.none()
    elif audience == Audience.ASSISTANTS:
        staff = staff.none()
    return (
        staff.select_related("township__county").order_by("township__code", "post", "name", "pk"),
        assistants.select_related("village__township__county").order_by("village__code", "name", "pk"),
    )


def fits_audience(audience, person):
    """Whether `person` (a StaffMember or a VillageAssistant) is among a session's audience: eligible_people's test
    for one person, so the service can name who does not fit and the form can mark whom each audience takes."""
    if audience == Audience.ALL:
        return True
    if isinstance(person, VillageAssistant):
        return audience == Audience.ASSISTANTS
    if audience == Audience.DIRECTORS:
        return person.post == StaffMember.Post.DIRECTOR
    return audience == Audience.STAFF


def audiences_of(person):
    """The audiences `person` belongs to (the form's data-audiences, read by static/js/training.js)."""
    return [audience for audience in Audience.values if fits_audience(audience, person)]


def person_label(person):
    """「民政助理员张三（东村）」「民政办工作人员李四（东镇）」: who, as an error message names them."""
    if isinstance(person, VillageAssistant):
        return _("%(role)s%(name)s（%(village)s）") % {
            "role": rules.ROLE_LABELS[rules.ASSISTANT], "name": person.name, "village": person.village.short_name}
    role = rules.DIRECTOR if person.post == StaffMember.Post.DIRECTOR else rules.STAFF
    return _("%(role)s%(name)s（%(township)s）") % {
        "role": rules.ROLE_LABELS[role], "name": person.name, "township": person.township.name}


def parse_ids(text):
    """The ids of a query-string list such as "1,2,3"; anything that is not a plain id is dropped."""
    # ASCII digits only: "²".isdigit() is true, and int() refuses it.
    return {int(part) for part in (text or "").split(",") if re.fullmatch(r"[0-9]{1,18}", part.strip())}


# --- the county plan --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanEntry:
    """One person the county must have trained in the year; `pending` while still out of rotation."""

    township: object
    due: rules.Due
    pending: bool
    person: tuple | None = None  # ("staff", id) or ("assistant", id): whom a session started from the plan ticks


@dataclass
class TownshipPlan:
    township: object
    entries: list  # of PlanEntry: who had to be trained in the year
    covered: int | None = None  # in rotation at the year end; None where the rotation rule is not assessed
    total: int = 0

    @property
    def coverage(self):
        return None if self.covered is None else share(self.covered, self.total)

    @property
    def pending(self):
        return [e for e in self.entries if e.pending]


@dataclass
class CountyPlan:
    county: object
    year: int
    cycle_years: int | None
    townships: list = field(default_factory=list)  # of TownshipPlan

    @property
    def assessed(self):
        return [t for t in self.townships if t.covered is not None]

    @property
    def covered(self):
        return sum(t.covered for t in self.assessed)

    @property
    def total(self):
        return sum(t.total for t in self.assessed)

    @property
    def coverage(self):
        return share(self.covered, self.total)

    def pending_people(self, level):
        """(staff ids, assistant ids) still to be trained by `level` this year: the plan's 登记培训班 ticks them."""
        pending = [e.person for t in self.townships for e in t.entries if e.pending and e.due.level == level]
        return ([pk for kind, pk in pending if kind == "staff"],
                [pk for kind, pk in pending if kind == "assistant"])

    def by_level(self):
        """[(level, label, entries)] — who must be trained this year, by the level that trains them."""
        return [
            (level, rules.LEVEL_LABELS[level], [e for t in self.townships for e in t.entries if e.due.level == level])
            for level in (rules.CITY, rules.COUNTY, rules.TOWNSHIP)
        ]


def county_plan(county, townships, year):
    """Build the county's plan for `year` from the rotation results of its townships.

    Who had to be trained in the year and who is still out of rotation are
    the rotation rule's (its DUE_THIS_YEAR basis and its `items`); the
    county's cycle is the one its townships' standards set (None: no rotation
    rule, no plan).
    """
    cards = stored_compliance(townships, year, codes=module_codes((compliance,)))
    inputs = compliance.gather([card.township for card in cards], year)
    people = _worker_people([card.township.pk for card in cards], year)
    cycles = {card.standard.training_cycle_years for card in cards if card.result(rules.ROTATION.code).assessed}
    plan = CountyPlan(county=county, year=year, cycle_years=max(cycles, default=None))
    for card in cards:
        rotation = card.result(rules.ROTATION.code)
        workers = inputs[card.township.pk].workers
        if not rotation.assessed:
            plan.townships.append(TownshipPlan(township=card.township, entries=[], total=len(workers)))
            continue
        due = set(rotation.basis.get(str(rules.DUE_THIS_YEAR), ()))
        lacking = set(rotation.items)
        entries = [
            PlanEntry(card.township, rules.Due.of(w, year), w.label in lacking, people.get((card.township.pk, w.label)))
            for w in workers if w.label in due
        ]
        plan.townships.append(TownshipPlan(
            township=card.township, entries=entries, covered=len(workers) - len(lacking), total=len(workers),
        ))
    return plan


def _worker_people(township_ids, year):
    """{(township id, worker label): ("staff" | "assistant", id)} of the people `compliance.gather` labels.

    The rules name people by label only; this reads the same people in the
    same order and labels them the same way (`compliance._unique`), two
    queries whatever the number of townships.
    """
    people, used = {}, {pk: set() for pk in township_ids}
    staff = (
        StaffMember.objects.filter(township_id__in=township_ids).filter(in_post_at_year_end(year))
        .values_list("pk", "township_id", "name").order_by("township_id", "post", "start_date", "pk")
    )
    for pk, township_id, name in staff:
        people[township_id, compliance._unique(name, used[township_id])] = ("staff", pk)
    assistants = (
        VillageAssistant.objects.filter(village__township_id__in=township_ids).filter(in_post_at_year_end(year))
        .values_list("pk", "village__township_id", "name", "village__name")
        .order_by("village__township_id", "village__code", "start_date", "pk")
    )
    for pk, township_id, name, village_name in assistants:
        label = f"{name}（{village_short_name(village_name)}）"
        people[township_id, compliance._unique(label, used[township_id])] = ("assistant", pk)
    return people


# --- a township's record ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkerRow:
    """A person in post at the year end and the verdict of each rule on them (None: not assessed)."""

    worker: rules.Worker
    in_rotation: bool | None
    right_level: bool | None
    before_post: bool | None


@dataclass
class TownshipRecord:
    results: list  # the training RuleResults of the one computation, in display order
    rows: list  # of WorkerRow
    cycle_years: int | None  # the rotation cycle, where the rotation rule is assessed


def _met(result, worker):
    """Whether `worker` meets the rule, read from its result: None where the rule is not assessed."""
    return worker.label not in result.items if result.assessed else None


def township_record(township, year):
    """The township's training results for `year` and a row per person in post at its end, marked from them.

    The results are the stored ones (`offices.compliance.store`); the rows
    are this module's gathered people, marked from those results' `items`
    (each person's label), so the page decides nothing itself.
    """
    context = township_context(township, year, today=timezone.localdate())
    inputs = compliance.gather([township], year)[township.pk]
    by_code = township_results(township, year, compliance)
    results = list(by_code.values())
    graded, rotation, before_post = (by_code[spec.code] for spec in (rules.GRADED, rules.ROTATION, rules.BEFORE_POST))
    rows = [
        WorkerRow(worker=w, in_rotation=_met(rotation, w), right_level=_met(graded, w),
                  before_post=_met(before_post, w))
        for w in inputs.workers
    ]
    cycle_years = context.standard.training_cycle_years if rotation.assessed else None
    return TownshipRecord(results=results, rows=rows, cycle_years=cycle_years)
