"""Bulk import with a dry run: a preview that writes nothing, then a confirmation that writes everything or nothing.

Why openpyxl's read-only mode and the project's own forms rather than
django-import-export: a row here is not a model row but what a page's form
takes (「5万」, a choice by its label, a budget of five lines written as one
set, a quarter's subsidy in a sheet of assistants), and must be written by the
page's service (scope, locks, history, recomputing); and the file must be
checked as hostile before anything parses it (safety.py). import-export's
dry run, which we copy, runs its writes in a transaction it rolls back: so do
we — the preview runs every service and rolls back, so it reports the locks
and the services' own refusals too, not just the cells.
"""
import hashlib
import json
from dataclasses import asdict, dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from imports import safety
from imports.models import ImportBatch
from imports.sheets import CODE, SHEETS, VILLAGE_CODE, RowError, as_validation_rows
from offices.compliance import store
from offices.models import Township, Village

MAX_PROBLEMS_SHOWN = 500


@dataclass
class Problem:
    sheet: str
    row: int
    column: str
    message: str

    def __str__(self):
        where = _("“%(sheet)s”表第%(row)s行") % {"sheet": self.sheet, "row": self.row} if self.row else (
            _("“%(sheet)s”表") % {"sheet": self.sheet} if self.sheet else "")
        column = _("「%(column)s」") % {"column": self.column} if self.column else ""
        return f"{where}{column}：{self.message}" if where or column else self.message


class Group:
    """Rows written together by one service call (a township-year's budget, its subsidies)."""

    def __init__(self, writer, payload):
        self.writer, self.payload, self.done = writer, payload, False

    def write(self, confirmed):
        if self.done:
            return
        self.done = True
        if self.payload:
            self.writer(confirmed, self.payload)


class Context:
    """What the rows of one workbook are read against: the uploader's townships and villages."""

    def __init__(self, user):
        self.user = user
        self.townships = {t.code: t for t in Township.objects.for_user(user).select_related("county__city")}
        self._villages = {}
        self._records = {}
        self._keyed = {}
        self._probes = {}
        self.groups = {}

    def probe(self, form_class, form_kwargs):
        """An unbound form of the class, to read its fields' kinds and choices: one per class and township."""
        key = (form_class, tuple(sorted((k, getattr(v, "pk", v)) for k, v in form_kwargs.items())))
        if key not in self._probes:
            self._probes[key] = form_class(**form_kwargs)
        return self._probes[key]

    def keyed(self, name, loader):
        """A sheet's existing rows in the uploader's townships, keyed as the sheet looks them up: read once."""
        if name not in self._keyed:
            self._keyed[name] = loader(list(self.townships.values()))
        return self._keyed[name]

    def records(self, sheet):
        """{pk: record} of a record sheet's model within the uploader's townships, loaded on first use."""
        if sheet.title not in self._records:
            self._records[sheet.title] = {r.pk: r for r in sheet.records_of(list(self.townships.values()))}
        return self._records[sheet.title]

    def township(self, cells):
        code = cells.get(CODE, "")
        if not code:
            raise RowError(CODE, _("请填写乡镇代码（12位）。"))
        township = self.townships.get(code)
        if township is None:
            raise RowError(CODE, _("乡镇代码%(code)s不在您的管辖范围内（或不存在），不能导入。") % {"code": code})
        return township

    def village(self, cells):
        code = cells.get(VILLAGE_CODE, "")
        if not code:
            raise RowError(VILLAGE_CODE, _("请填写村（社区）代码（12位）。"))
        if code not in self._villages:
            village = Village.objects.select_related("township__county__city").filter(code=code).first()
            self._villages[code] = village if village and village.township.code in self.townships else None
        if self._villages[code] is None:
            raise RowError(VILLAGE_CODE, _("村（社区）代码%(code)s不在您的管辖范围内（或不存在），不能导入。") % {"code": code})
        return self._villages[code]

    def group(self, key, writer, payload):
        if key not in self.groups:
            self.groups[key] = Group(writer, payload)
        return self.groups[key]


@dataclass
class Outcome:
    items: list
    problems: list
    needs_confirmation: bool = False
    refused: str = ""

    @property
    def counts(self):
        counts = {"new": 0, "changed": 0, "unchanged": 0}
        for item in self.items:
            counts[item.kind] += 1
        return counts

    def fingerprint(self):
        changes = [(i.sheet, i.row, i.kind, [(c.column, c.before, c.after) for c in i.changes]) for i in self.items
                   if i.kind != "unchanged"]
        return hashlib.sha256(json.dumps(changes, ensure_ascii=False).encode()).hexdigest()

    def as_preview(self):
        return {
            "counts": self.counts,
            "refused": self.refused,
            "needs_confirmation": self.needs_confirmation,
            "problems": [{**asdict(p), "text": str(p)} for p in self.problems[:MAX_PROBLEMS_SHOWN]],
            "problem_count": len(self.problems),
            "changes": [{"sheet": i.sheet, "row": i.row, "unit": i.unit, "record": i.record, "kind": i.kind,
                         "changes": [asdict(c) for c in i.changes]} for i in self.items if i.kind != "unchanged"],
        }


def _plan(upload, context):
    """Read every sheet into Items (no writes), or the problems found in its cells."""
    safety.check_file(upload)
    workbook = safety.open_workbook(upload)
    items, problems, known = [], [], 0
    try:
        for spec in SHEETS:
            if spec.title not in workbook.sheetnames:
                continue
            known += 1
            sheet = workbook[spec.title]
            safety.check_sheet(sheet)
            headers = safety.header(sheet)
            missing = [c.header for c in spec.columns if c.header not in headers and (c.field or c.header in (
                CODE, VILLAGE_CODE, "编号"))]
            if missing:
                problems += [Problem(spec.title, 1, name, _("缺少此列，请使用下载的模板。")) for name in missing]
                continue
            for number, row in safety.read_rows(sheet):
                cells, formula = {}, None
                for cell in row:
                    name = headers[cell.column - 1] if cell.column <= len(headers) else ""
                    if not name:
                        continue
                    if cell.formula:
                        formula = formula or name
                    cells[name] = cell.text
                if formula:
                    problems.append(Problem(spec.title, number, formula, _("不接受公式，请复制后“粘贴为数值”。")))
                    continue
                try:
                    items.append(spec.plan(number, cells, context))
                except RowError as error:
                    problems.append(Problem(spec.title, number, error.column, error.message))
    finally:
        workbook.close()
    if not known:
        raise safety.WorkbookRefused(_("工作簿中没有可导入的表（应有“%(names)s”中的至少一张），请使用下载的模板。")
                                     % {"names": "、".join(s.title for s in SHEETS)})
    return items, problems


def _write(items, problems, confirmed):
    """Call each changed row's service, each in its own savepoint; collect the services' refusals."""
    needs_confirmation = False
    for item in items:
        if item.kind == "unchanged" or item.write is None:
            continue
        try:
            with transaction.atomic():
                item.write(confirmed)
        except ValidationError as error:
            if getattr(error, "code", None) == "needs_confirmation" or any(
                    getattr(e, "code", None) == "needs_confirmation" for e in getattr(error, "error_list", [])) or (
                    hasattr(error, "error_dict") and any(e.code == "needs_confirmation"
                                                         for errs in error.error_dict.values() for e in errs)):
                needs_confirmation = True
            for name, message in as_validation_rows(error):
                problems.append(Problem(item.sheet, item.row, item.columns.get(name, ""), message))
        except PermissionDenied as error:
            problems.append(Problem(item.sheet, item.row, "", str(error) or _("无权修改。")))
        except IntegrityError:
            problems.append(Problem(item.sheet, item.row, "", _("与已有记录重复或冲突，请核对。")))
    return needs_confirmation


def run(upload, user, *, write=False, confirmed=False, expected=None):
    """Read `upload`, run every service in one transaction, and roll it back unless `write` and all went well.

    `expected`: the preview's fingerprint; when writing, a different plan (somebody changed the data since the
    preview) writes nothing.
    """
    context = Context(user)
    with transaction.atomic():
        # The uploader's townships are locked for the run: what the preview compared against stays put.
        list(Township.objects.select_for_update().filter(pk__in=[t.pk for t in context.townships.values()])
             .values_list("pk", flat=True))
        try:
            items, problems = _plan(upload, context)
        except safety.WorkbookRefused as refusal:
            return Outcome([], [], refused=str(refusal))
        outcome = Outcome(items, problems)
        if write and expected is not None and outcome.fingerprint() != expected:
            outcome.refused = _("预览之后数据已有变化（他人修改或文件不同），未导入任何数据。请重新上传并预览。")
            return outcome
        with store.recompute_once(discard=not write):
            outcome.needs_confirmation = _write(items, outcome.problems, confirmed)
        if not write or outcome.problems:
            transaction.set_rollback(True)
    return outcome


@transaction.atomic
def import_preview(*, user, upload, original_name=""):
    """Keep the uploaded workbook and what a dry run of it found; nothing else is written."""
    outcome = run(upload, user, write=False)
    upload.seek(0)
    batch = ImportBatch(user=user, original_name=original_name[:255])
    batch.file.save(f"{batch.token}.xlsx", upload, save=False)
    batch.status = ImportBatch.Status.REFUSED if outcome.refused else ImportBatch.Status.PREVIEWED
    batch.fingerprint = outcome.fingerprint() if not outcome.refused else ""
    batch.preview = outcome.as_preview()
    batch.save()
    return batch, outcome


def import_apply(*, user, batch, confirmed=False):
    """Write the previewed workbook: all of it in one transaction, through the services, or nothing."""
    if batch.user_id != user.pk:
        raise PermissionDenied(_("只能导入自己上传的文件。"))
    if batch.status != ImportBatch.Status.PREVIEWED:
        raise ValidationError(_("该文件已导入或未通过检查，不能再次导入。"), code="not_previewed")
    with batch.file.open("rb") as upload:
        outcome = run(upload, user, write=True, confirmed=confirmed, expected=batch.fingerprint)
    if not outcome.refused and not outcome.problems:
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.APPLIED, applied_at=timezone.now())
    return outcome
