"""Writes for regulation documents: ask the lock, validate fully (the file's size and content too), then save.

Each write saves instance by instance, so every change leaves its history row (offices.history). A retired or
replaced document is never deleted: its record and file stay, marked with the date it stopped counting.
"""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from offices.compliance.store import recompute_township
from offices.reporting import ensure_open
from regulations.models import RegulationDocument, display_name


def _new_document(*, township, kind, title, adopted_on, file):
    return RegulationDocument(
        township=township, kind=kind, title=title, adopted_on=adopted_on, file=file,
        original_name=display_name(getattr(file, "name", "")),
    )


@transaction.atomic
def regulation_create(*, township, kind, title, adopted_on, file):
    """Record an adopted regulation and store its file (nothing is stored if validation fails).

    The file is stored under a name any file system accepts (`regulation_upload_to`);
    the name the user gave is kept for the page and the download. A regulation
    counts from the year it was adopted on, so that year and every later one must be open.
    """
    ensure_open(township, ((adopted_on.year if adopted_on else None, None),))
    document = _new_document(township=township, kind=kind, title=title, adopted_on=adopted_on, file=file)
    document.full_clean()
    document.save()
    recompute_township(township)
    return document


def _check_not_retired(document):
    """Refuse a second retirement or replacement, reading the row as stored (another clerk may just have)."""
    document.refresh_from_db(fields=["retired_on", "superseded_by", "retire_reason"])
    if document.retired_on is None:
        return
    if document.superseded_by_id:
        message = _("“%(title)s”已于%(date)s被新版本替代，不能再替换或废止；请对新版本操作。")
    else:
        message = _("“%(title)s”已于%(date)s废止，不能再替换或废止。")
    raise ValidationError(message % {"title": document.title, "date": document.retired_on.isoformat()},
                          code="already_retired")


def _field_error(field, message, code):
    """A ValidationError on `field` that keeps its code (a dict of plain messages would drop it)."""
    return ValidationError({field: ValidationError(message, code=code)})


def _check_retired_on(document, retired_on, field, label):
    """The date the document stops counting: given, not before its adoption, not in the future."""
    if retired_on is None:
        raise _field_error(field, _("请填写%(field)s。") % {"field": label}, "required")
    if retired_on > timezone.localdate():
        raise _field_error(field, _("%(field)s不能晚于今天。") % {"field": label}, "retired_in_future")
    if retired_on < document.adopted_on:
        raise _field_error(field, _("%(field)s（%(date)s）不能早于原制度“%(title)s”的印发日期（%(adopted)s）。") % {
            "field": label, "date": retired_on.isoformat(), "title": document.title,
            "adopted": document.adopted_on.isoformat()}, "retired_before_adopted")


def _save_retired(document):
    # The file is the stored one, unchanged: validating it again would re-read it (and fail if it is gone).
    document.full_clean(exclude=["file"])
    document.save()


@transaction.atomic
def regulation_retire(*, document, retired_on, reason):
    """Retire a regulation without a replacement: it stops counting from the year of `retired_on`.

    A regulation retired during a year is not in force on 31 December, so that
    year and every later one change and must be open.
    """
    ensure_open(document.township, ((retired_on.year if retired_on else None, None),))
    _check_not_retired(document)
    _check_retired_on(document, retired_on, "retired_on", _("废止日期"))
    reason = (reason or "").strip()
    if not reason:
        raise _field_error("reason", _("请填写废止原因。"), "required")
    document.retired_on = retired_on
    document.retire_reason = reason
    _save_retired(document)
    recompute_township(document.township)
    return document


@transaction.atomic
def regulation_replace(*, document, title, adopted_on, file, reason=""):
    """Replace a regulation by a new version of the same kind, adopted on `adopted_on`.

    The old one is kept, retired on the new one's adoption date and linked to
    it (`superseded_by`): it counts up to the year before, the new one from
    that year on. Both changes start in that year, so it and every later one
    must be open. Nothing is stored when any check fails.
    """
    ensure_open(document.township, ((adopted_on.year if adopted_on else None, None),))
    _check_not_retired(document)
    _check_retired_on(document, adopted_on, "adopted_on", _("新版本的印发日期"))
    new = _new_document(township=document.township, kind=document.kind, title=title, adopted_on=adopted_on,
                        file=file)
    new.full_clean()
    document.retired_on = adopted_on
    document.retire_reason = (reason or "").strip()  # optional: the link to the new version says why
    document.full_clean(exclude=["file", "superseded_by"])  # checked before anything (the new file) is stored
    new.save()
    document.superseded_by = new
    _save_retired(document)
    recompute_township(document.township)
    return new
