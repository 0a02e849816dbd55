"""The stored results of the one compliance computation: the only code that writes them, and their readers.

`recompute(townships, years)` runs the engine (`offices.compliance.engine`)
and replaces the stored rows of those township-years. Services call it for
what they touched inside their own transaction (`recompute_township`), so
no reader ever sees a result older than the data; background jobs call it
for whole cities; `refresh_compliance` moves on the day dated rules are
judged on.

`stored_compliance(townships, year)` reads them back as the same
`TownshipCompliance` the engine returns; a township-year that has never
been computed (a year nobody has entered data for yet) is computed on first
read, so the store is never partial.

What a rule says depends on the interface language (its title, its
explanation, the labels it lists), so each result keeps one encoded copy per
language of settings.LANGUAGES; everything SQL adds up is language-free.
"""
import dataclasses
import datetime
import hashlib
import json
import threading
from contextlib import contextmanager
from decimal import Decimal
from importlib import import_module

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Min
from django.forms.models import model_to_dict
from django.utils import timezone, translation
from django.utils.functional import Promise

from offices.compliance import engine
from offices.compliance.contract import Dimension, RuleResult
from offices.compliance.engine import TownshipCompliance, combined_status

# Rows are written in batches of this many townships (memory stays flat for a province).
BATCH = 200

# --- Encoding: a RuleResult as JSON and back, exactly ------------------------------------------------------------


def encode(value):
    """A rule's value as JSON that `decode` turns back into an equal value.

    Decimals and dates are tagged; dicts keep their order (PostgreSQL's jsonb
    does not); the small frozen records rules put in `items` keep their class.
    """
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, (str, Promise)):
        return str(value)
    if isinstance(value, Decimal):
        return {"$d": str(value)}
    if isinstance(value, datetime.date):
        return {"$date": value.isoformat()}
    if isinstance(value, dict):
        return {"$map": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [encode(item) for item in value]
    if dataclasses.is_dataclass(value):
        cls = type(value)
        return {"$cls": f"{cls.__module__}:{cls.__qualname__}",
                "f": {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    raise TypeError(f"cannot store a rule value of type {type(value).__name__}: {value!r}")


def _record_class(path):
    module_name, _sep, name = path.partition(":")
    allowed = {module.__name__.rpartition(".")[0] for module in engine.rule_modules()}
    if module_name.partition(".")[0] not in allowed:
        raise ValueError(f"stored result names a class outside the rules apps: {path}")
    return getattr(import_module(module_name), name)


def decode(value):
    if isinstance(value, list):
        return [decode(item) for item in value]
    if not isinstance(value, dict):
        return value
    if "$d" in value:
        return Decimal(value["$d"])
    if "$date" in value:
        return datetime.date.fromisoformat(value["$date"])
    if "$map" in value:
        return {decode(k): decode(v) for k, v in value["$map"]}
    if "$cls" in value:
        fields = {name: decode(item) for name, item in value["f"].items()}
        cls = _record_class(value["$cls"])
        for field in dataclasses.fields(cls):  # records hold tuples, not lists (they are frozen and hashable)
            if isinstance(fields.get(field.name), list):
                fields[field.name] = tuple(fields[field.name])
        return cls(**fields)
    raise ValueError(f"unknown stored value: {value!r}")


# The fields of a RuleResult kept per language; the rest are language-free columns.
TEXT_FIELDS = ("title", "explanation", "required", "actual", "gap", "surplus", "basis", "items")


def encode_texts(result):
    return {name: encode(getattr(result, name)) for name in TEXT_FIELDS}


def number(value):
    """A rule's value as a number the database can add up, or None (lists, text, booleans)."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return None
    return Decimal(value)


def languages():
    return [code for code, _name in settings.LANGUAGES]


def language_of_request():
    """The stored language to show: the active one if stored, else the site's default."""
    active = translation.get_language() or settings.LANGUAGE_CODE
    codes = languages()
    if active in codes:
        return active
    base = active.split("-")[0]
    return next((code for code in codes if code.split("-")[0] == base), settings.LANGUAGE_CODE)


def standard_version(standard):
    """A short digest of the standard's parameters: which version of it decided a result."""
    if standard is None:
        return ""
    data = model_to_dict(standard)
    return hashlib.sha1(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:12]


# --- The computation, in every language ----------------------------------------------------------------------------


@dataclasses.dataclass
class Computed:
    """One township-year as the engine decides it, in every stored language."""

    township: object
    context: object
    results: dict  # {language: [RuleResult]}

    @property
    def canonical(self):
        return self.results[settings.LANGUAGE_CODE]


def compute(townships, year, *, today=None, modules=None):
    """[Computed] of `townships` in `year`: one gather per module, one decision per language.

    The inputs do not depend on the language; what the rules say does, so
    each rule is decided once per stored language.
    """
    from offices.selectors import township_contexts  # the selector reads the hierarchy; this module does not

    today = today or timezone.localdate()
    modules = modules or engine.rule_modules()
    with translation.override(settings.LANGUAGE_CODE):
        contexts = township_contexts(_township_queryset(townships), year, today=today)
        loaded = [township for township, _context in contexts]
        gathered = [(module, module.gather(loaded, year)) for module in modules] if loaded else []
    out = [Computed(township=township, context=context, results={}) for township, context in contexts]
    for language in languages():  # one activation per language, not per township
        with translation.override(language):
            for computed in out:
                computed.results[language] = [
                    result for module, inputs in gathered
                    for result in module.evaluate(inputs.get(computed.township.pk), computed.context)
                ]
    return out


# --- Writing ------------------------------------------------------------------------------------------------------


def _summary_values(computed, year, today, now, version):
    from offices.models import ComplianceSummary

    results = computed.canonical
    has_standard = computed.context.standard is not None
    values = {
        "township_id": computed.township.pk, "county_id": computed.township.county_id,
        "city_id": computed.township.county.city_id, "year": year,
        "standard": computed.context.standard, "standard_version": version,
        "population": computed.context.population,
        "status": combined_status(results, has_standard=has_standard),
        "rule_count": len(results), "failing_count": sum(1 for r in results if r.failed),
        "as_of": today, "computed_at": now,
    }
    for dimension in Dimension.values:
        values[ComplianceSummary.dimension_field(dimension)] = combined_status(
            [r for r in results if r.dimension == dimension], has_standard=has_standard)
    return values


def _write(batch, year, today):
    """Replace the stored rows of the township-years in `batch` (all of one year).

    Multi-row INSERTs of prepared values: the ORM's per-field preparation of
    thousands of model instances cost more than the computation itself.
    """
    from offices.models import ComplianceGapItem, ComplianceResult, ComplianceSummary

    now = timezone.now()
    ids = [computed.township.pk for computed in batch]
    for model in (ComplianceSummary, ComplianceResult, ComplianceGapItem):
        model.objects.filter(year=year, township_id__in=ids).delete()
    summaries, results, gaps = [], [], []
    for computed in batch:
        township = computed.township
        where = {"township_id": township.pk, "county_id": township.county_id, "city_id": township.county.city_id,
                 "year": year}
        version = standard_version(computed.context.standard)
        summary = _summary_values(computed, year, today, now, version)
        standard = summary.pop("standard")
        summary["standard_id"] = standard.pk if standard else None  # one key per column, with or without a standard
        summaries.append(summary)
        standard_id = summary["standard_id"]
        per_language = computed.results
        for position, result in enumerate(computed.canonical):
            results.append({
                **where, "position": position, "code": result.code, "dimension": result.dimension,
                "status": result.status, "unit": str(result.unit or ""), "required": number(result.required),
                "actual": number(result.actual), "gap": number(result.gap), "surplus": number(result.surplus),
                "fix_url": result.fix_url or "", "fixed_by": str(result.fixed_by or ""), "standard_id": standard_id,
                "standard_version": version, "computed_at": now,
                "texts": {language: encode_texts(per_language[language][position]) for language in per_language},
            })
            if result.failed and isinstance(result.gap, (list, tuple)):
                gaps.extend({**where, "code": result.code, "label": str(item)[:200]} for item in result.gap)
    _insert(ComplianceSummary, summaries)
    _insert(ComplianceResult, results)
    _insert(ComplianceGapItem, gaps)


ADAPTED_FIELDS = {"JSONField", "DecimalField", "DateTimeField", "DateField"}


def _insert(model, rows):
    """INSERT `rows` (dicts of attribute → Python value) in as few statements as the database allows."""
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in rows[0]]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    size = max(1, min(500, connection.ops.bulk_batch_size(fields, rows)))
    keys = list(rows[0])
    # Integers and text go to the driver as they are; JSON, decimals and dates through the field's own adaptation.
    adapt = [field.get_db_prep_save if field.get_internal_type() in ADAPTED_FIELDS else None for field in fields]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start:start + size]
            params = [value if convert is None or value is None else convert(value, connection)
                      for row in chunk for convert, value in zip(adapt, (row[key] for key in keys))]
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {', '.join([placeholder] * len(chunk))}", params)


def _township_queryset(townships):
    from offices.models import Township

    if hasattr(townships, "values_list"):
        return townships
    ids = [getattr(t, "pk", t) for t in townships]
    return Township.objects.filter(pk__in=ids)


def recompute(townships, years, *, today=None, progress=None):
    """Recompute and store every township-year of `townships` × `years`; return how many were stored.

    Runs in one transaction per batch of townships (inside the caller's, when
    there is one). The townships' rows are locked first, so two saves of the
    same township recompute one after the other and the later one sees both.
    `progress(done, total)` is told after each batch.
    """
    from offices.models import Township

    today = today or timezone.localdate()
    ids = list(_township_queryset(townships).order_by("pk").values_list("pk", flat=True))
    years = sorted(set(years))
    total, done = len(ids) * len(years), 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        with transaction.atomic():
            list(Township.objects.select_for_update().filter(pk__in=chunk).order_by("pk").values_list("pk"))
            for year in years:
                batch = compute(Township.objects.filter(pk__in=chunk), year, today=today)
                _write(batch, year, today)
                done += len(chunk)
        if progress:
            progress(done, total)
    return total


def stored_years(township_ids):
    from offices.models import ComplianceSummary

    return set(ComplianceSummary.objects.filter(township_id__in=township_ids).values_list("year", flat=True)
               .distinct().order_by())


_batches = threading.local()


def recompute_township(township, *, years=None, today=None):
    """What a service calls after changing a township's data, inside its transaction.

    `years`: the years the change touches (a population, a budget: its year);
    None for records that span years (staff, rooms, equipment): every year
    already stored for the township. Inside `recompute_once()` the township
    is noted and recomputed once when the batch ends.
    """
    if not getattr(settings, "WUYOU_RECOMPUTE_ON_WRITE", True):
        return 0
    pending = getattr(_batches, "pending", None)
    if pending is not None:
        pending.setdefault(township.pk, set()).update(years or ())
        return 0
    years = set(years) if years is not None else stored_years([township.pk])
    if not years:
        return 0
    return recompute([township.pk], years, today=today)


@contextmanager
def recompute_once(*, discard=False):
    """Batch many writes (a whole demo, an import): each township touched is recomputed once, at the end.

    Use inside the batch's transaction, so that nothing commits without its results. `discard`: a dry run
    whose transaction is rolled back recomputes nothing.
    """
    if getattr(_batches, "pending", None) is not None:  # already batching: the outer batch recomputes
        yield
        return
    _batches.pending = {}
    try:
        yield
        pending = {} if discard else _batches.pending
    finally:
        _batches.pending = None
    stored = {}
    if pending:
        for township_id, year in _stored_pairs(list(pending)):
            stored.setdefault(township_id, set()).add(year)
    by_years = {}
    for township_id, years in pending.items():
        key = frozenset(years | stored.get(township_id, set()))
        if key:
            by_years.setdefault(key, []).append(township_id)
    for years, ids in by_years.items():
        recompute(ids, years)


def _stored_pairs(township_ids):
    from offices.models import ComplianceSummary

    return ComplianceSummary.objects.filter(township_id__in=township_ids).values_list("township_id", "year")


def recompute_all(*, years=None, today=None, progress=None, townships=None):
    """Recompute every township (or `townships`) for `years` (default: every year with stored results or data)."""
    from offices.models import Population, Township

    townships = Township.objects.all() if townships is None else _township_queryset(townships)
    if years is None:
        years = set(Population.objects.values_list("year", flat=True).distinct().order_by())
        years |= stored_years(townships.values("pk"))
        years.add((today or timezone.localdate()).year)
    return recompute(townships, years, today=today, progress=progress)


def fill_missing(*, years=None, today=None):
    """Compute every township-year that is not stored yet (`years`, default: every year with data and this year)."""
    from offices.models import ComplianceSummary, Population, Township

    today = today or timezone.localdate()
    if not years:
        years = set(Population.objects.values_list("year", flat=True).distinct().order_by()) | {today.year}
    count = 0
    for year in sorted(years):
        stored = ComplianceSummary.objects.filter(year=year).values("township_id")
        ids = list(Township.objects.exclude(pk__in=stored).values_list("pk", flat=True))
        if ids:
            count += recompute(ids, [year], today=today)
    return count


def refresh(*, today=None, years=None, progress=None):
    """Recompute every township-year judged on a day before `today`; return how many.

    Dated rules (quarters that have ended, deadlines that have passed, an
    assistant graded 不称职 who must have left by the later of the year's end
    and the assessment day) can change a verdict on any later day, so every
    township-year judged before today is judged again. Run daily
    (`manage.py refresh_compliance`).
    """
    from offices.models import ComplianceSummary

    today = today or timezone.localdate()
    stale = ComplianceSummary.objects.filter(as_of__lt=today)
    if years:
        stale = stale.filter(year__in=years)
    by_year = {}
    for year, township_id in stale.values_list("year", "township_id").order_by("year", "township_id").iterator(
            chunk_size=5000):
        by_year.setdefault(year, []).append(township_id)
    total = sum(len(ids) for ids in by_year.values())
    done = 0
    for year, ids in sorted(by_year.items()):
        recompute(ids, [year], today=today,
                  progress=(lambda n, _t, base=done: progress(base + n, total)) if progress else None)
        done += len(ids)
    return total


# --- Reading ------------------------------------------------------------------------------------------------------


def result_from_row(row, language=None):
    """The RuleResult a stored row holds, in `language` (default: the request's)."""
    language = language or language_of_request()
    texts = row.texts.get(language) or row.texts.get(settings.LANGUAGE_CODE) or next(iter(row.texts.values()), {})
    values = {name: decode(texts.get(name)) for name in TEXT_FIELDS}
    values["basis"] = values["basis"] or {}
    values["items"] = tuple(values["items"] or ())
    return RuleResult(code=row.code, dimension=row.dimension, status=row.status, unit=row.unit,
                      fix_url=row.fix_url, fixed_by=row.fixed_by, **values)


class StoredCompliance(TownshipCompliance):
    """A TownshipCompliance read from the store, with when it was computed."""

    def __init__(self, summary, results):
        super().__init__(township=summary.township, year=summary.year, standard=summary.standard,
                         population=summary.population, results=results)
        self.summary = summary

    @property
    def computed_at(self):
        return self.summary.computed_at

    @property
    def as_of(self):
        return self.summary.as_of


def _summaries(townships, year):
    from offices.models import ComplianceSummary

    return ComplianceSummary.objects.filter(township__in=_township_queryset(townships), year=year)


def ensure_stored(townships, year, *, today=None):
    """Compute the township-years of `townships` in `year` that were never stored (one query when none is missing)."""
    queryset = _township_queryset(townships)
    missing = queryset.exclude(compliance_summaries__year=year)
    missing_ids = list(missing.values_list("pk", flat=True))
    if missing_ids:
        recompute(missing_ids, [year], today=today)


def stored_compliance(townships, year, *, codes=None, language=None, today=None, ensure=True):
    """[StoredCompliance] of `townships` in `year`, in code order, read from the store.

    `codes` limits the results to some rules (a data-entry page shows its own
    module's). A fixed number of queries whatever the number of townships.
    """
    from offices.models import ComplianceResult

    if ensure:
        ensure_stored(townships, year, today=today)
    summaries = list(
        _summaries(townships, year).select_related("township__county__city", "standard").order_by("township__code")
    )
    rows = ComplianceResult.objects.filter(township_id__in=[s.township_id for s in summaries], year=year)
    if codes is not None:
        rows = rows.filter(code__in=list(codes))
    by_township = {}
    for row in rows.order_by("township_id", "position"):
        by_township.setdefault(row.township_id, []).append(result_from_row(row, language))
    return [StoredCompliance(summary, by_township.get(summary.township_id, [])) for summary in summaries]


def module_codes(modules):
    return [spec.code for module in modules for spec in module.RULES]


def stored_township(township, year, *, modules=None, **kwargs):
    """The StoredCompliance of one township (`modules`: only those rules modules' results)."""
    if modules is not None:
        kwargs["codes"] = module_codes(modules)
    return stored_compliance([township.pk], year, **kwargs)[0]


def township_results(township, year, module):
    """{code: RuleResult} of one rules module for one township: what its data-entry page shows."""
    return stored_township(township, year, modules=(module,)).by_code


def computed_at(townships, year):
    """When the oldest of these township-years was computed (what a page says its figures date from)."""
    return _summaries(townships, year).aggregate(at=Min("computed_at"))["at"]




# --- Proof that stored equals live --------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Difference:
    township: str  # the township's code
    year: int
    code: str  # the rule's code, or "" for the township-year's summary
    field: str
    stored: object
    live: object

    def __str__(self):
        where = f"{self.township} {self.year}" + (f" {self.code}" if self.code else "")
        return f"{where} {self.field}: stored={self.stored!r} live={self.live!r}"


SUMMARY_FIELDS = ("status", "failing_count", "rule_count", "population", "standard_id", "county_id", "city_id",
                  *(f"{d}_status" for d in Dimension.values))
ROW_FIELDS = ("position", "dimension", "status", "unit", "required", "actual", "gap", "surplus", "fix_url", "fixed_by",
              "standard_id", "county_id", "city_id")


def differences(townships, year, *, today=None):
    """Every difference between the stored results of `townships` in `year` and the live computation.

    Compared as the writer would store them (the same encoding), judged on
    the day the stored rows were judged on, so a verdict that only moved with
    the date is found by `refresh`, not here. Township-years never stored
    are reported as missing.
    """
    from offices.models import ComplianceGapItem, ComplianceResult, ComplianceSummary

    queryset = _township_queryset(townships)
    out = []
    summaries = {s.township_id: s for s in ComplianceSummary.objects.filter(township__in=queryset, year=year)}
    rows = {}
    for row in ComplianceResult.objects.filter(township__in=queryset, year=year):
        rows.setdefault(row.township_id, {})[row.code] = row
    gap_items = {}
    for township_id, code, label in ComplianceGapItem.objects.filter(township__in=queryset, year=year).values_list(
            "township_id", "code", "label"):
        gap_items.setdefault((township_id, code), []).append(label)
    by_day = {}
    for township_id, summary in summaries.items():
        by_day.setdefault(summary.as_of, []).append(township_id)
    missing = list(queryset.exclude(pk__in=list(summaries)).values_list("pk", flat=True))
    if missing:
        by_day.setdefault(today or timezone.localdate(), []).extend(missing)
    for day, ids in by_day.items():
        for computed in compute(ids, year, today=day):
            out.extend(_compare(computed, year, summaries.get(computed.township.pk),
                                rows.get(computed.township.pk, {}), gap_items))
    return out


def _compare(computed, year, summary, rows, gap_items):
    township = computed.township.code
    if summary is None:
        return [Difference(township, year, "", "stored", None, "computed")]
    out = []
    expected = _summary_values(computed, year, summary.as_of, summary.computed_at,
                               standard_version(computed.context.standard))
    standard = expected.pop("standard")
    expected["standard_id"] = standard.pk if standard else None
    for name in SUMMARY_FIELDS:
        if getattr(summary, name) != expected[name]:
            out.append(Difference(township, year, "", name, getattr(summary, name), expected[name]))
    live_codes = [r.code for r in computed.canonical]
    for code in set(rows) - set(live_codes):
        out.append(Difference(township, year, code, "stored", "row", None))
    for position, result in enumerate(computed.canonical):
        row = rows.get(result.code)
        if row is None:
            out.append(Difference(township, year, result.code, "stored", None, "row"))
            continue
        live = {
            "position": position, "dimension": result.dimension, "status": result.status,
            "unit": str(result.unit or ""), "required": number(result.required), "actual": number(result.actual),
            "gap": number(result.gap), "surplus": number(result.surplus), "fix_url": result.fix_url or "",
            "fixed_by": str(result.fixed_by or ""), "standard_id": computed.context.standard.pk
            if computed.context.standard else None,
            "county_id": computed.township.county_id, "city_id": computed.township.county.city_id,
        }
        for name in ROW_FIELDS:
            stored = getattr(row, name)
            if isinstance(stored, Decimal) and live[name] is not None:
                equal = stored == live[name].quantize(Decimal("0.000001"))
            else:
                equal = stored == live[name]
            if not equal:
                out.append(Difference(township, year, result.code, name, stored, live[name]))
        for language, results in computed.results.items():
            texts = encode_texts(results[position])
            if row.texts.get(language) != texts:
                out.append(Difference(township, year, result.code, f"texts[{language}]", row.texts.get(language),
                                      texts))
        live_gaps = sorted(str(item)[:200] for item in result.gap) if result.failed and isinstance(
            result.gap, (list, tuple)) else []
        stored_gaps = sorted(gap_items.get((row.township_id, row.code), []))
        if stored_gaps != live_gaps:
            out.append(Difference(township, year, result.code, "gap_items", stored_gaps,
                                  live_gaps))
    return out


def stream(summaries, results, *, chunk_size=2000, language=None):
    """StoredCompliance of `summaries` one by one, in township code order, from two database cursors.

    For writing a province's spreadsheet: two queries whatever the number of
    townships, and only one township's results in memory at a time.
    `results` must cover the same township-years (e.g. the same scope and year).
    """
    summaries = summaries.select_related("township__county__city", "standard").order_by("township__code")
    rows = (results.annotate(township_code=F("township__code")).order_by("township__code", "position")
            .iterator(chunk_size=chunk_size))
    pending = next(rows, None)
    for summary in summaries.iterator(chunk_size=chunk_size):
        code = summary.township.code
        while pending is not None and pending.township_code < code:  # rows without a summary: not shown
            pending = next(rows, None)
        found = []
        while pending is not None and pending.township_code == code:
            found.append(result_from_row(pending, language))
            pending = next(rows, None)
        yield StoredCompliance(summary, found)
