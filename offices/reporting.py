"""The reporting cycle's writes and checks: submit, review, accept, return, unlock; the lock every service asks.

Plain services, not a state-machine library: each transition is one row of
TRANSITIONS (from which states, to which state, by which level), and what a
transition does beyond moving the state — lock the township row, re-judge and
freeze the stored results, record the event with who, where and why — is the
same few lines for all of them. django-fsm-2 would check the source state and
leave the rest to us, with the state written by a model method.
"""
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from offices.acting import acting_address, acting_user
from offices.compliance import store
from offices.models import (
    LOCKED_FOR_EVERYONE,
    LOCKED_FOR_TOWNSHIP,
    AnnualReport,
    ComplianceGapItem,
    ComplianceResult,
    ComplianceSummary,
    Level,
    LockException,
    ReportAction,
    ReportEvent,
    ReportingCalendar,
    ReportSnapshot,
    ReportState,
    SnapshotGapItem,
    SnapshotResult,
    SnapshotStage,
    Township,
)

DEFAULT_CHANGE_THRESHOLD = 30  # per cent, when the city has set no calendar for the year
MAX_UNLOCK_DAYS = 30
UNBOUNDED = None


@dataclass(frozen=True)
class Transition:
    sources: frozenset
    target: str
    level: str
    snapshot: str | None = None


TRANSITIONS = {
    ReportAction.SUBMIT: Transition(frozenset({ReportState.DRAFT, ReportState.RETURNED}), ReportState.SUBMITTED,
                                    Level.TOWNSHIP, SnapshotStage.SUBMITTED),
    ReportAction.COUNTY_RETURN: Transition(frozenset({ReportState.SUBMITTED}), ReportState.RETURNED, Level.COUNTY),
    ReportAction.APPROVE: Transition(frozenset({ReportState.SUBMITTED}), ReportState.APPROVED, Level.COUNTY,
                                     SnapshotStage.APPROVED),
    ReportAction.CITY_RETURN: Transition(frozenset({ReportState.APPROVED}), ReportState.RETURNED, Level.CITY),
    ReportAction.ACCEPT: Transition(frozenset({ReportState.APPROVED}), ReportState.ACCEPTED, Level.CITY,
                                    SnapshotStage.ACCEPTED),
}


# --- who may act ------------------------------------------------------------------------------------------------


def acts_for(user, township, level):
    """Whether `user` acts for `township` at `level` (its clerk, its county bureau, its city bureau)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if level == Level.TOWNSHIP:
        return user.is_township and user.township_id == township.pk
    if level == Level.COUNTY:
        return user.is_county and user.county_id == township.county_id
    if level == Level.CITY:
        return user.is_city and user.city_id == township.county.city_id
    return False


def allowed_actions(user, report):
    """The actions `user` may take on `report` now (for the buttons a page shows)."""
    township = report.township
    actions = [action for action, step in TRANSITIONS.items()
               if report.state in step.sources and acts_for(user, township, step.level)]
    if report.state in LOCKED_FOR_TOWNSHIP and (acts_for(user, township, Level.COUNTY)
                                                 or acts_for(user, township, Level.CITY)):
        actions.append(ReportAction.UNLOCK)
    return actions


# --- the lock every write asks ---------------------------------------------------------------------------------


def _lock_township(township):
    """Serialise writes to one township: concurrent saves queue here instead of racing to insert."""
    list(Township.objects.select_for_update().filter(pk=township.pk).values_list("pk", flat=True))


def _in_spans(year, spans):
    return any((first is None or year >= first) and (last is None or year <= last) for first, last in spans)


def locked_years(township, spans, user=UNBOUNDED):
    """The years among `spans` whose data `user` (default: the acting user) may not change now."""
    user = acting_user() if user is UNBOUNDED else user
    states = LOCKED_FOR_TOWNSHIP if user is not None and user.is_township else LOCKED_FOR_EVERYONE
    reports = {year for year in AnnualReport.objects.filter(township=township, state__in=states)
               .values_list("year", flat=True) if _in_spans(year, spans)}
    if not reports:
        return []
    unlocked = set(LockException.objects.filter(township=township, year__in=reports, until__gt=timezone.now())
                   .values_list("year", flat=True))
    return sorted(reports - unlocked)


def ensure_open(township, spans):
    """Refuse (ValidationError, code "locked") a write touching a locked year of `township`; else lock its row.

    `spans`: the years the write changes, as (first, last) pairs, None for unbounded: `year_of(2025)`,
    `changed_years(...)` for a record in force over years, `EVERY_YEAR` for one that counts in all.
    """
    _lock_township(township)
    years = locked_years(township, list(spans))
    if not years:
        return
    reports = {r.year: r for r in AnnualReport.objects.filter(township=township, year__in=years)}
    accepted = [y for y in years if reports[y].state in LOCKED_FOR_EVERYONE]
    listed = "、".join(str(y) for y in years)
    if accepted:
        message = _("%(years)s年度填报已通过市级验收，数据已锁定，不能修改。如需更正，请向县级或市级民政部门申请临时解锁。")
    else:
        message = _("%(years)s年度填报已报送（%(state)s），本乡镇该年度数据已锁定，不能修改。如需修改，请联系县级民政部门退回。")
    raise ValidationError(message % {"years": listed, "state": reports[years[0]].get_state_display()}, code="locked")


EVERY_YEAR = ((None, None),)


def from_this_year():
    """For a record without dates (the office's name, a village's station): a change takes effect now.

    The years before are kept as they were in the report snapshots; only this year and later are asked.
    """
    return ((timezone.localdate().year, None),)


def year_of(year):
    return ((year, year),)


def changed_years(before, after, *, content_changed=True):
    """The years a change to a record in force from year to year alters, as spans.

    `before`/`after` are (first year, last year or None) of the record as it was and as it will be (None when
    created or deleted). When only the dates moved, just the years between the old and the new date change;
    otherwise every year of either span does.
    """
    if before is None or after is None or content_changed:
        spans = [span for span in (before, after) if span is not None]
        return tuple(spans)
    spans = []
    if before[0] != after[0]:
        low, high = sorted((before[0], after[0]), key=lambda y: -10**6 if y is None else y)
        spans.append((low, high))
    if before[1] != after[1]:
        ends = [e for e in (before[1], after[1]) if e is not None]
        spans.append((min(ends), None if None in (before[1], after[1]) else max(ends)))
    return tuple(spans)


# --- checks on the way in ---------------------------------------------------------------------------------------


def change_threshold(township, year):
    calendar = ReportingCalendar.objects.filter(city_id=township.county.city_id, year=year).first()
    return calendar.change_threshold if calendar else DEFAULT_CHANGE_THRESHOLD


def moved_too_far(before, after, threshold):
    """Whether `after` moved from `before` by more than `threshold` per cent (of `before`)."""
    if before is None or after is None or before == after:
        return False
    before, after = Decimal(before), Decimal(after)
    if before == 0:
        return after != 0
    return abs(after - before) * 100 > abs(before) * threshold


def confirm_change(township, year, *, field, label, before, after, confirmed, unit=""):
    """Ask the clerk to confirm a figure that moved too far from last year's (ValidationError on `field`)."""
    if confirmed:
        return
    threshold = change_threshold(township, year)
    if moved_too_far(before, after, threshold):
        message = _("%(label)s与%(previous)s年度相比变动超过%(threshold)s%%（%(before)s%(unit)s → %(after)s%(unit)s），"
                    "请核实；确认无误请勾选「确认变动无误」后再保存。") % {
            "label": label, "previous": year - 1, "threshold": threshold, "before": format(before, ","),
            "after": format(after, ","), "unit": unit}
        raise ValidationError({field: ValidationError(message, code="needs_confirmation")})


# --- the transitions -------------------------------------------------------------------------------------------


def report_for(township, year):
    """The township-year's report, created (as 填报中) when first asked for."""
    report, _created = AnnualReport.objects.get_or_create(township=township, year=year)
    return report


def _record(report, action, from_state, *, user, reason="", rule_reasons=None):
    return ReportEvent.objects.create(
        report=report, action=action, from_state=from_state, to_state=report.state, actor=user,
        actor_name=user.display_name if user else _("系统"),
        actor_unit=str(user.unit) if user is not None and user.unit is not None else "",
        address=acting_address(), reason=reason, rule_reasons=rule_reasons or {},
    )


def _copy_rows(target, source, snapshot):
    """Copy the township-year's `source` rows (the store) into `target` (the snapshot's), in the database."""
    columns = [f.column for f in source._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    listed = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(target._meta.db_table)} ({listed}, {quote('snapshot_id')}) "
            f"SELECT {listed}, %s FROM {quote(source._meta.db_table)} "
            f"WHERE {quote('township_id')} = %s AND {quote('year')} = %s",
            [snapshot.pk, snapshot.township_id, snapshot.year])


def _snapshot(report, event, stage):
    """Freeze the township-year's stored results as the report's snapshot at `stage`.

    The store is recomputed on every write, so only the day the dated rules were judged on can be behind:
    the results are judged again when that day is not today.
    """
    township, year = report.township, report.year
    summary = ComplianceSummary.objects.filter(township=township, year=year).first()
    if summary is None or summary.as_of != timezone.localdate():
        store.recompute([township.pk], {year})
        summary = ComplianceSummary.objects.get(township=township, year=year)
    ReportSnapshot.objects.filter(report=report, stage=stage, current=True).update(current=False)
    columns = {f.attname: getattr(summary, f.attname) for f in ComplianceSummary._meta.concrete_fields
               if f.attname != "id"}
    snapshot = ReportSnapshot.objects.create(report=report, event=event, stage=stage, current=True, **columns)
    _copy_rows(SnapshotResult, ComplianceResult, snapshot)
    _copy_rows(SnapshotGapItem, ComplianceGapItem, snapshot)
    return snapshot


def _transition(report, action, *, user, reason="", rule_reasons=None, statement=None):
    step = TRANSITIONS[action]
    township = Township.objects.select_related("county__city").get(pk=report.township_id)
    if not acts_for(user, township, step.level):
        raise PermissionDenied(_("您无权对该乡镇的年度填报执行“%(action)s”。") % {"action": ReportAction(action).label})
    _lock_township(township)
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    report.township = township
    if report.state not in step.sources:
        raise ValidationError(
            _("%(year)s年度填报当前为“%(state)s”，不能执行“%(action)s”。")
            % {"year": report.year, "state": report.get_state_display(), "action": ReportAction(action).label},
            code="wrong_state")
    from_state, now = report.state, timezone.now()
    if statement is not None:
        report.statement = statement
    report.state = step.target
    if action == ReportAction.SUBMIT:
        report.submitted_at = now
        report.first_submitted_at = report.first_submitted_at or now
    elif action == ReportAction.APPROVE:
        report.approved_at = now
    elif action == ReportAction.ACCEPT:
        report.accepted_at = now
    elif action in (ReportAction.COUNTY_RETURN, ReportAction.CITY_RETURN):
        report.returned_by = step.level
        report.return_reason = reason
        report.rule_reasons = rule_reasons or {}
    report.full_clean()
    report.save()
    event = _record(report, action, from_state, user=user, reason=reason, rule_reasons=rule_reasons)
    if step.snapshot:
        _snapshot(report, event, step.snapshot)
    return report


def _required_reason(reason, field="reason"):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: _("请填写理由。")}, code="reason_required")
    return reason


@transaction.atomic
def report_submit(*, township, year, statement, user=UNBOUNDED):
    """The township submits its self-assessment of `year`: the statement and the results as they stand."""
    user = acting_user() if user is UNBOUNDED else user
    statement = (statement or "").strip()
    if not statement:
        raise ValidationError({"statement": _("请填写自评说明。")}, code="statement_required")
    if not acts_for(user, township, Level.TOWNSHIP):
        raise PermissionDenied(_("只有本乡镇民政办工作人员可以报送本乡镇的年度填报。"))
    _lock_township(township)
    report = report_for(township, year)
    return _transition(report, ReportAction.SUBMIT, user=user, statement=statement)


@transaction.atomic
def report_return(*, report, reason, rule_reasons=None, user=UNBOUNDED):
    """The county returns a submitted report, or the city one the county approved, with a reason."""
    user = acting_user() if user is UNBOUNDED else user
    reason = _required_reason(reason)
    codes = set(ComplianceResult.objects.filter(township_id=report.township_id, year=report.year)
                .values_list("code", flat=True))
    rule_reasons = {code: text.strip() for code, text in (rule_reasons or {}).items() if (text or "").strip()}
    unknown = sorted(set(rule_reasons) - codes)
    if unknown:
        raise ValidationError({"rule_reasons": _("没有这些指标：%(codes)s。") % {"codes": "、".join(unknown)}},
                              code="unknown_rule")
    action = ReportAction.CITY_RETURN if report.state == ReportState.APPROVED else ReportAction.COUNTY_RETURN
    return _transition(report, action, user=user, reason=reason, rule_reasons=rule_reasons)


@transaction.atomic
def report_approve(*, report, note="", user=UNBOUNDED):
    user = acting_user() if user is UNBOUNDED else user
    return _transition(report, ReportAction.APPROVE, user=user, reason=(note or "").strip())


@transaction.atomic
def report_accept(*, report, note="", user=UNBOUNDED):
    user = acting_user() if user is UNBOUNDED else user
    return _transition(report, ReportAction.ACCEPT, user=user, reason=(note or "").strip())


@transaction.atomic
def lock_exception_grant(*, report, until, reason, user=UNBOUNDED):
    """Let the township's data of the report's year be changed until `until` (at most MAX_UNLOCK_DAYS), recorded."""
    user = acting_user() if user is UNBOUNDED else user
    township = Township.objects.select_related("county__city").get(pk=report.township_id)
    if not (acts_for(user, township, Level.COUNTY) or acts_for(user, township, Level.CITY)):
        raise PermissionDenied(_("只有县级或市级民政部门可以临时解锁。"))
    reason = _required_reason(reason)
    now = timezone.now()
    if until <= now:
        raise ValidationError({"until": _("解锁截止时间应晚于现在。")}, code="until_past")
    if until > now + timedelta(days=MAX_UNLOCK_DAYS):
        raise ValidationError({"until": _("临时解锁最长%(days)s天。") % {"days": MAX_UNLOCK_DAYS}}, code="until_far")
    _lock_township(township)
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if report.state not in LOCKED_FOR_TOWNSHIP:
        raise ValidationError(_("该年度数据未锁定，无需解锁。"), code="not_locked")
    report.township = township
    event = _record(report, ReportAction.UNLOCK, report.state, user=user, reason=reason)
    return LockException.objects.create(township=township, year=report.year, until=until, reason=reason,
                                        event=event)


@transaction.atomic
def calendar_set(*, city, year, submit_by, review_by, change_threshold=DEFAULT_CHANGE_THRESHOLD, user=UNBOUNDED):
    """The city sets a year's deadlines and the share a figure may move from last year unasked."""
    user = acting_user() if user is UNBOUNDED else user
    if user is not None and not (user.is_superuser or (user.is_city and user.city_id == city.pk)):
        raise PermissionDenied(_("只有市级民政部门可以设置填报日程。"))
    calendar = ReportingCalendar.objects.filter(city=city, year=year).first() or ReportingCalendar(city=city, year=year)
    calendar.submit_by, calendar.review_by, calendar.change_threshold = submit_by, review_by, change_threshold
    calendar.full_clean()
    calendar.save()
    return calendar
