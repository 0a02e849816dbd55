"""The training rules (分级培训、轮训、先培训再上岗): pure functions, no ORM.

A worker is a township office staff member (the director or another staff
member) or a village assistant *in post at the end of the year* — the same
year-end headcount as staffing.rules. Each worker carries the dates and
organising levels of every training attended up to 31 December of the year.

- Graded training: the director needs a training organised by the city,
  other staff one by the county, assistants one by the township, dated in the
  cycle window (or at any time up to the year end if the standard sets no
  cycle). Training by another level does not count for this rule.
- Rotation: every worker needs a training of any level dated in the calendar
  years Y−N+1 … Y (2025, N = 3: 2023-01-01 … 2025-12-31).
- Training before the post: the first training is dated on or before the
  start date (the same day counts); no training at all is a finding too.
"""
import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from offices.compliance import Actor, Dimension, RuleSpec, Status, Unit, listed, share, year_end

# A finding about untrained people is the county's to act on (Actor.COUNTY):
# the sessions that count are organised above the township clerk's desk — the
# city trains the directors, the county the other staff — and the county draws
# up the rotation plan (training:plan) for every township's people, assistants
# included. A township does run its assistants' sessions, but as part of that
# plan; no data-entry form of the clerk's own makes a person trained.
GRADED = RuleSpec(
    code="training.graded", dimension=Dimension.TRAINING, title=gettext_lazy("分级培训"),
    unit=Unit.PEOPLE, fix_url="training:township", fixed_by=Actor.COUNTY,
    applies=lambda standard: bool(standard.graded_training),
)
ROTATION = RuleSpec(
    code="training.rotation", dimension=Dimension.TRAINING, title=gettext_lazy("轮训"),
    unit=Unit.PEOPLE, fix_url="training:township", fixed_by=Actor.COUNTY,
    applies=lambda standard: bool(standard.training_cycle_years),
)
BEFORE_POST = RuleSpec(
    code="training.before_post", dimension=Dimension.TRAINING, title=gettext_lazy("先培训再上岗"),
    unit=Unit.PEOPLE, fix_url="training:township", fixed_by=Actor.COUNTY,
    applies=lambda standard: bool(standard.training_before_post),
)
RULES = [GRADED, ROTATION, BEFORE_POST]

DIRECTOR, STAFF, ASSISTANT = "director", "staff", "assistant"
ROLE_LABELS = {
    DIRECTOR: gettext_lazy("民政办公室主任"),
    STAFF: gettext_lazy("民政办工作人员"),
    ASSISTANT: gettext_lazy("民政助理员"),
}

CITY, COUNTY, TOWNSHIP = "city", "county", "township"
LEVEL_LABELS = {CITY: gettext_lazy("市级"), COUNTY: gettext_lazy("县级"), TOWNSHIP: gettext_lazy("乡镇级")}
# Who trains whom (分级培训).
RESPONSIBLE_LEVEL = {DIRECTOR: CITY, STAFF: COUNTY, ASSISTANT: TOWNSHIP}

# The rotation result's basis entry naming who had to be trained in the year (the county's plan reads it).
DUE_THIS_YEAR = gettext_lazy("本年应训人员")


@dataclass(frozen=True)
class Training:
    date: datetime.date
    level: str  # city / county / township
    topic: str = ""

    @property
    def level_label(self):
        return LEVEL_LABELS[self.level]


@dataclass(frozen=True)
class Worker:
    """A person in post at the year end; `label` is unique within the township, so results name them by it."""

    label: str  # name, with the village for an assistant
    role: str  # director / staff / assistant
    start_date: datetime.date
    trainings: tuple = field(default=())  # of Training

    @property
    def role_label(self):
        return ROLE_LABELS[self.role]

    @property
    def responsible_level(self):
        return RESPONSIBLE_LEVEL[self.role]

    def last_training(self, until=None):
        dates = [t.date for t in self.trainings if until is None or t.date <= until]
        return max(dates, default=None)

    def first_training(self):
        return min((t.date for t in self.trainings), default=None)

    def trained_between(self, start, end, level=None):
        return any(start <= t.date <= end and (level is None or t.level == level) for t in self.trainings)


def cycle_window(year, cycle_years):
    """The calendar years Y−N+1 … Y as (first day, last day)."""
    return datetime.date(year - cycle_years + 1, 1, 1), year_end(year)


def in_rotation(worker, year, cycle_years):
    return worker.trained_between(*cycle_window(year, cycle_years))


def trained_before_post(start_date, first_training):
    """先培训再上岗: the first training is on or before the start date (the same day counts)."""
    return first_training is not None and first_training <= start_date


def _nobody(spec, year):
    """No worker entered: nothing to judge, so it is a finding that says what to enter (the clerk's own form)."""
    return spec.result(
        Status.FAIL, required=1, actual=0, gap=1,  # at least the director must be on record
        explanation=_("未登记%(year)s年末在岗的民政办工作人员和民政助理员，无法评估培训情况，请先录入人员。")
        % {"year": year},
        fix_url="staffing:staff_list", fixed_by=Actor.TOWNSHIP, basis={_("年度"): year, _("年末在岗人员"): 0},
    )


def _result(spec, *, year, workers, lacking, details, done_text, lacking_text, basis):
    """`lacking` are the labels of the workers who fall short, `details` the same people as the finding words them."""
    total = len(workers)
    gap = len(lacking)
    facts = {"total": total, "done": total - gap, "gap": gap, "names": listed(details, Unit.PEOPLE)}
    return spec.result(
        Status.FAIL if gap else Status.PASS,
        required=total,
        actual=total - gap,
        gap=gap,
        explanation=(lacking_text if gap else done_text) % facts,
        items=tuple(lacking),
        basis={_("年度"): year, _("年末在岗人员"): total, **basis, _("未达要求人员"): "、".join(details)},
    )


def graded_training(workers, *, year, cycle_years):
    """Each worker was trained by the level responsible for them (city/county/township).

    Within the cycle window where the standard sets a rotation cycle, else at
    any time up to the year end. Called only when the standard grades training.
    """
    if not workers:
        return _nobody(GRADED, year)
    if cycle_years:
        start, end = cycle_window(year, cycle_years)
        window = _("%(start)s至%(end)s") % {"start": start.isoformat(), "end": end.isoformat()}
    else:
        start, end = datetime.date.min, year_end(year)
        window = _("%(end)s以前") % {"end": end.isoformat()}
    template = _("%(name)s（%(role)s，应由%(level)s培训）")
    short = [w for w in workers if not w.trained_between(start, end, level=w.responsible_level)]
    return _result(
        GRADED, year=year, workers=workers, lacking=[w.label for w in short],
        details=[
            template % {"name": w.label, "role": w.role_label, "level": LEVEL_LABELS[w.responsible_level]}
            for w in short
        ],
        done_text=_("年末在岗%(total)s人，均已接受对应层级的培训"),
        lacking_text=_("年末在岗%(total)s人，%(gap)s人未接受对应层级的培训：%(names)s"),
        basis={_("培训期间"): window, _("分级要求"): _("主任由市级培训，其他工作人员由县级培训，民政助理员由乡镇培训")},
    )


def rotation(workers, *, year, cycle_years):
    """Every worker has a training of any level dated in the years Y−N+1 … Y.

    Called only when the standard sets a cycle. Besides the people out of
    rotation (`items`), the basis names who had to be trained in the year
    (DUE_THIS_YEAR): the county's plan lists them.
    """
    if not workers:
        return _nobody(ROTATION, year)
    start, end = cycle_window(year, cycle_years)
    lacking = [w.label for w in workers if not in_rotation(w, year, cycle_years)]
    return _result(
        ROTATION, year=year, workers=workers, lacking=lacking, details=lacking,
        done_text=_("年末在岗%(total)s人，均在轮训周期内参加过培训"),
        lacking_text=_("年末在岗%(total)s人，%(gap)s人轮训周期内未参加培训：%(names)s"),
        basis={
            _("轮训周期（年）"): cycle_years,
            _("培训期间"): _("%(start)s至%(end)s") % {"start": start.isoformat(), "end": end.isoformat()},
            _("轮训覆盖率"): f"{share(len(workers) - len(lacking), len(workers))}%",
            str(DUE_THIS_YEAR): tuple(d.worker.label for d in due_this_year(workers, year=year,
                                                                             cycle_years=cycle_years)),
        },
    )


def before_post(workers, *, year):
    """Every worker's first training is dated on or before their start date.

    Called only when the standard requires training before the post.
    """
    if not workers:
        return _nobody(BEFORE_POST, year)
    untrained = _("%(name)s（%(start)s到岗，未参加培训）")
    trained_late = _("%(name)s（%(start)s到岗，%(first)s才首次培训）")
    lacking, details = [], []
    for w in workers:
        first = w.first_training()
        if trained_before_post(w.start_date, first):
            continue
        lacking.append(w.label)
        if first is None:
            details.append(untrained % {"name": w.label, "start": w.start_date})
        else:
            details.append(trained_late % {"name": w.label, "start": w.start_date, "first": first})
    return _result(
        BEFORE_POST, year=year, workers=workers, lacking=lacking, details=details,
        done_text=_("年末在岗%(total)s人，均在到岗前（含到岗当日）参加过培训"),
        lacking_text=_("年末在岗%(total)s人，%(gap)s人未先培训再上岗：%(names)s"),
        basis={},
    )


# --- the plan ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """A worker who must be trained in `year` to be in rotation at its end."""

    worker: Worker
    last_before_year: datetime.date | None  # last training before 1 January of the year
    trained_this_year: datetime.date | None  # first training dated in the year, if any

    @property
    def level(self):
        return self.worker.responsible_level

    @property
    def done(self):
        return self.trained_this_year is not None

    @classmethod
    def of(cls, worker, year):
        """The worker's row in the plan of `year`: last training before the year, first one in it."""
        this_year = [t.date for t in worker.trainings if t.date.year == year]
        return cls(worker, worker.last_training(until=datetime.date(year - 1, 12, 31)), min(this_year, default=None))


def due_this_year(workers, *, year, cycle_years):
    """Return the workers who need a training dated in `year` to stay in rotation.

    They have no training in the years Y−N+1 … Y−1: never trained, or their
    last training has left the cycle window. `trained_this_year` tells who
    has already been trained (the plan shows them as done). Empty when the
    standard sets no cycle.
    """
    if not cycle_years:
        return []
    window_start, _end = cycle_window(year, cycle_years)
    before_year = datetime.date(year - 1, 12, 31)
    return [Due.of(worker, year) for worker in workers if not worker.trained_between(window_start, before_year)]
