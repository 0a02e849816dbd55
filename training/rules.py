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
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from offices.compliance import Dimension, RuleResult, Status, not_assessed, year_end

GRADED = "training.graded"
ROTATION = "training.rotation"
BEFORE_POST = "training.before_post"

TITLES = {GRADED: "分级培训", ROTATION: "轮训", BEFORE_POST: "先培训再上岗"}

DIRECTOR, STAFF, ASSISTANT = "director", "staff", "assistant"
ROLE_LABELS = {DIRECTOR: "民政办公室主任", STAFF: "民政办工作人员", ASSISTANT: "民政助理员"}

CITY, COUNTY, TOWNSHIP = "city", "county", "township"
LEVEL_LABELS = {CITY: gettext_noop("市级"), COUNTY: gettext_noop("县级"), TOWNSHIP: gettext_noop("乡镇级")}
# Who trains whom (分级培训).
RESPONSIBLE_LEVEL = {DIRECTOR: CITY, STAFF: COUNTY, ASSISTANT: TOWNSHIP}

FIX_URL = "training:township"
NAMES_LISTED = 10


def title(code):
    return _(TITLES[code])


@dataclass(frozen=True)
class Training:
    date: datetime.date
    level: str  # city / county / township
    topic: str = ""


@dataclass(frozen=True)
class Worker:
    label: str  # name, with the village for an assistant
    role: str  # director / staff / assistant
    start_date: datetime.date
    trainings: tuple = field(default=())  # of Training

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


def share(part, whole):
    """Return part/whole as a percentage with one decimal, or None for nobody."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _listed(labels):
    labels = list(labels)
    shown = "、".join(labels[:NAMES_LISTED])
    if len(labels) > NAMES_LISTED:
        shown += _("等%(count)s人") % {"count": len(labels)}
    return shown


def _nobody(code, year):
    """No worker entered: the rule cannot be assessed on data, so it is a finding that says what to enter."""
    return RuleResult(
        code=code, dimension=Dimension.TRAINING, title=title(code), status=Status.FAIL,
        required=1, actual=0, gap=1, unit=_("人"),  # at least the director must be on record
        explanation=_("未登记%(year)s年末在岗的民政办工作人员和民政助理员，无法评估培训情况，请先录入人员。")
        % {"year": year},
        fix_url="staffing:staff_list", basis={_("年度"): year, _("年末在岗人员"): 0},
    )


def _result(code, *, year, workers, lacking, done_text, lacking_text, basis):
    total = len(workers)
    gap = len(lacking)
    facts = {"total": total, "done": total - gap, "gap": gap, "names": _listed(lacking)}
    explanation = (lacking_text if gap else done_text) % facts
    return RuleResult(
        code=code,
        dimension=Dimension.TRAINING,
        title=title(code),
        status=Status.FAIL if gap else Status.PASS,
        required=total,
        actual=total - gap,
        gap=gap,
        unit=_("人"),
        explanation=explanation,
        fix_url=FIX_URL,
        basis={_("年度"): year, _("年末在岗人员"): total, **basis, _("未达要求人员"): "、".join(lacking)},
    )


def graded_training(workers, *, year, graded, cycle_years):
    """Each worker was trained by the level responsible for them (city/county/township)."""
    if not graded:
        return not_assessed(GRADED, Dimension.TRAINING, title(GRADED))
    if not workers:
        return _nobody(GRADED, year)
    if cycle_years:
        start, end = cycle_window(year, cycle_years)
        window = _("%(start)s至%(end)s") % {"start": start.isoformat(), "end": end.isoformat()}
    else:
        start, end = datetime.date.min, year_end(year)
        window = _("%(end)s以前") % {"end": end.isoformat()}
    template = _("%(name)s（%(role)s，应由%(level)s培训）")
    roles = {role: _(label) for role, label in ROLE_LABELS.items()}
    levels = {level: _(label) for level, label in LEVEL_LABELS.items()}
    lacking = [
        template % {"name": w.label, "role": roles[w.role], "level": levels[w.responsible_level]}
        for w in workers
        if not w.trained_between(start, end, level=w.responsible_level)
    ]
    return _result(
        GRADED, year=year, workers=workers, lacking=lacking,
        done_text=_("年末在岗%(total)s人，均已接受对应层级的培训"),
        lacking_text=_("年末在岗%(total)s人，%(gap)s人未接受对应层级的培训：%(names)s"),
        basis={_("培训期间"): window, _("分级要求"): _("主任由市级培训，其他工作人员由县级培训，民政助理员由乡镇培训")},
    )


def rotation(workers, *, year, cycle_years):
    """Every worker has a training of any level dated in the years Y−N+1 … Y."""
    if not cycle_years:
        return not_assessed(ROTATION, Dimension.TRAINING, title(ROTATION))
    if not workers:
        return _nobody(ROTATION, year)
    start, end = cycle_window(year, cycle_years)
    lacking = [w.label for w in workers if not w.trained_between(start, end)]
    return _result(
        ROTATION, year=year, workers=workers, lacking=lacking,
        done_text=_("年末在岗%(total)s人，均在轮训周期内参加过培训"),
        lacking_text=_("年末在岗%(total)s人，%(gap)s人轮训周期内未参加培训：%(names)s"),
        basis={
            _("轮训周期（年）"): cycle_years,
            _("培训期间"): _("%(start)s至%(end)s") % {"start": start.isoformat(), "end": end.isoformat()},
            _("轮训覆盖率"): f"{share(len(workers) - len(lacking), len(workers))}%",
        },
    )


def before_post(workers, *, year, required):
    """Every worker's first training is dated on or before their start date."""
    if not required:
        return not_assessed(BEFORE_POST, Dimension.TRAINING, title(BEFORE_POST))
    if not workers:
        return _nobody(BEFORE_POST, year)
    untrained = _("%(name)s（%(start)s到岗，未参加培训）")
    trained_late = _("%(name)s（%(start)s到岗，%(first)s才首次培训）")
    lacking = []
    for w in workers:
        first = w.first_training()
        if trained_before_post(w.start_date, first):
            continue
        if first is None:
            lacking.append(untrained % {"name": w.label, "start": w.start_date})
        else:
            lacking.append(trained_late % {"name": w.label, "start": w.start_date, "first": first})
    return _result(
        BEFORE_POST, year=year, workers=workers, lacking=lacking,
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
    due = []
    for worker in workers:
        if worker.trained_between(window_start, before_year):
            continue
        this_year = [t.date for t in worker.trainings if t.date.year == year]
        due.append(Due(worker, worker.last_training(until=before_year), min(this_year, default=None)))
    return due


def rotation_coverage(workers, *, year, cycle_years):
    """(in rotation, total, share %) for a set of workers."""
    total = len(workers)
    covered = sum(1 for w in workers if in_rotation(w, year, cycle_years)) if cycle_years else 0
    return covered, total, share(covered, total)
