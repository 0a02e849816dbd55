"""Written regulations the township office has adopted (有章理事), with the file itself.

Files are never served from a public media URL: they are downloaded through
a scoped view (regulations.views.regulation_download).
"""
import datetime
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from offices.history import date_span, register, tracked_history
from offices.models import Township
from offices.querysets import township_scoped
from offices.text import NoControlCharactersModel, strip_control_characters
from offices.vocabulary import RegulationKind
from regulations.archives import ArchiveRefused, inspect_package

# Extension → the content type the bytes must show.
ALLOWED_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
FIELD_LABEL = _("制度文件")
ZIP_MAGIC = b"PK\x03\x04"

# A file system refuses a name longer than 255 bytes (ext4, XFS: NAME_MAX), and a Chinese character is 3 bytes
# in UTF-8: an 84-character name was an OSError. The stored name keeps at most this many bytes, which leaves
# room for the suffix the storage adds when the name is taken ("_" and 7 characters); the name the user gave is
# kept in `original_name` for the page and the download.
STORED_NAME_BYTES = 100
EXTENSION_CHARACTERS = 16
ORIGINAL_NAME_LENGTH = 255

# Why a zip-based document (regulations.archives) is refused, in words naming the field.
ARCHIVE_MESSAGES = {
    "archive_corrupt": _("%(field)s不是完整有效的 Word 文档（压缩包结构损坏），请重新保存后上传。"),
    "archive_multi_volume": _("%(field)s是分卷压缩包，不能上传。"),
    "archive_encrypted": _("%(field)s含有加密内容，无法检查，请去掉密码后重新上传。"),
    "archive_method": _("%(field)s使用了 Word 文档不会使用的压缩方式，不能上传。"),
    "archive_entries": _("%(field)s内含%(count)s个部件，超过%(limit)s个的上限，不像正常的 Word 文档，不能上传。"),
    "archive_too_large": _(
        "%(field)s解压后至少有%(size)s MB，超过%(limit)s MB的上限（可能是“压缩炸弹”），不能上传。"
    ),
    "archive_ratio": _(
        "%(field)s中有部件的压缩比达到%(ratio)s:1，超过%(limit)s:1的上限（可能是“压缩炸弹”），不能上传。"
    ),
    "archive_macros": _(
        "%(field)s含有宏（VBA）、ActiveX 控件或嵌入的程序对象，可能携带病毒，不能上传。"
        "请在 Word 中“另存为”Word 文档（*.docx）后重新上传。"
    ),
}


def _megabytes(size):
    return f"{size / 1024 / 1024:.1f}".removesuffix(".0")


def stored_name(filename):
    """The file's name as stored: its last path part, at most STORED_NAME_BYTES UTF-8 bytes, the extension kept."""
    name = PurePath(filename).name
    suffix = PurePath(name).suffix
    stem = name[: len(name) - len(suffix)] if suffix else name
    suffix = suffix[:EXTENSION_CHARACTERS]
    budget = STORED_NAME_BYTES - len(suffix.encode())
    # Cut on a character boundary: "ignore" drops the partial character left at the end.
    stem = stem.encode()[:budget].decode(errors="ignore")
    return f"{stem}{suffix}"


def display_name(filename):
    """The name the user gave, for the page and the download: no control characters, at most 255 characters."""
    name = strip_control_characters(PurePath(filename or "").name).replace("\n", "").replace("\r", "")
    name = name.replace("\t", " ")
    if len(name) <= ORIGINAL_NAME_LENGTH:
        return name
    suffix = PurePath(name).suffix[:EXTENSION_CHARACTERS]
    return name[: ORIGINAL_NAME_LENGTH - len(suffix)] + suffix


def regulation_upload_to(instance, filename):
    """Store under regulations/<township code>/ with the original name, shortened to a length any file system takes."""
    return f"regulations/{instance.township.code}/{stored_name(filename)}"


def archive_limits():
    return {
        "max_entries": settings.WUYOU_UPLOAD_MAX_ARCHIVE_ENTRIES,
        "max_total_size": settings.WUYOU_UPLOAD_MAX_UNPACKED_BYTES,
        "max_ratio": settings.WUYOU_UPLOAD_MAX_COMPRESSION_RATIO,
    }


def inspect_archive(upload):
    """Refuse a zip archive that is a bomb, has too many parts, or carries macros; return its part names."""
    try:
        return inspect_package(upload, **archive_limits())
    except ArchiveRefused as refusal:
        params = {"field": FIELD_LABEL, **refusal.params}
        for key in ("size", "limit"):
            if refusal.code == "archive_too_large" and key in params:
                params[key] = _megabytes(params[key])
        raise ValidationError(ARCHIVE_MESSAGES[refusal.code], code=refusal.code, params=params) from None


def detect_content_type(upload):
    """Tell the content type from the bytes (not the name or the browser's claim), or None.

    A zip archive is inspected (regulations.archives) before anything reads
    it as a document: a hostile one raises ValidationError here.
    """
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is not None and kind.mime in ("application/pdf", "image/png", "image/jpeg"):
        return kind.mime
    if head.startswith(ZIP_MAGIC):
        if "word/document.xml" in inspect_archive(upload):
            return ALLOWED_TYPES[".docx"]
    return None


def validate_regulation_file(upload):
    """Accept a PDF, PNG, JPEG or DOCX no larger than WUYOU_MAX_UPLOAD_BYTES whose name matches its content.

    A DOCX is refused as well when its archive is hostile (see `inspect_archive`).
    """
    limit = settings.WUYOU_MAX_UPLOAD_BYTES
    params = {"field": FIELD_LABEL}
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("%(field)s不能超过%(limit)s MB，所选文件为%(size)s MB。"),
            code="file_too_large",
            params={**params, "limit": f"{limit / 1024 / 1024:g}", "size": f"{upload.size / 1024 / 1024:.1f}"},
        )
    extension = PurePath(upload.name or "").suffix.lower()
    if extension not in ALLOWED_TYPES:
        raise ValidationError(
            _("%(field)s只能是 PDF、Word（.docx）、PNG 或 JPEG 文件，不接受“%(extension)s”。"),
            code="file_extension",
            params={**params, "extension": extension or _("无扩展名")},
        )
    if upload.size == 0:
        raise ValidationError(_("%(field)s是空文件。"), code="file_empty", params=params)
    content_type = detect_content_type(upload)
    if content_type is None:
        raise ValidationError(
            _("%(field)s的内容不是 PDF、Word（.docx）、PNG 或 JPEG 文件，请检查后重新上传。"),
            code="file_content",
            params=params,
        )
    if content_type != ALLOWED_TYPES[extension]:
        raise ValidationError(
            _("%(field)s的扩展名“%(extension)s”与文件内容不符。"),
            code="file_extension_mismatch",
            params={**params, "extension": extension},
        )


class RegulationDocument(NoControlCharactersModel, models.Model):
    """A regulation the office has adopted: what kind, its title, when, and the file."""

    township = models.ForeignKey(
        Township, on_delete=models.CASCADE, related_name="regulations", verbose_name=_("乡镇")
    )
    kind = models.CharField(_("制度类别"), max_length=32, choices=RegulationKind.choices)
    title = models.CharField(_("制度名称"), max_length=120)
    adopted_on = models.DateField(_("印发日期"))
    file = models.FileField(
        FIELD_LABEL, upload_to=regulation_upload_to, max_length=255, validators=[validate_regulation_file]
    )
    original_name = models.CharField(
        _("原文件名"), max_length=ORIGINAL_NAME_LENGTH, blank=True, editable=False,
        help_text=_("上传时的文件名；存储用的文件名可能被截短。"),
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    # A regulation stops counting when it is retired (废止), with or without a new version replacing it; the
    # record and its file are kept, so the years it counted in can still be shown and checked.
    retired_on = models.DateField(
        _("废止日期"), null=True, blank=True,
        help_text=_("自该日起不再有效；被新版本替代的，为新版本的印发日期。"),
    )
    retire_reason = models.CharField(_("废止原因"), max_length=200, blank=True)
    superseded_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="supersedes",
        verbose_name=_("替代文件"),
    )

    objects = township_scoped("township").as_manager()
    history = tracked_history()

    class Meta:
        verbose_name = _("工作制度")
        verbose_name_plural = _("工作制度")
        # The table was created when the model lived in offices; the move kept it (no data copied).
        db_table = "offices_regulationdocument"
        ordering = ["township", "kind", "-adopted_on"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="regulation_title_not_blank"),
            models.CheckConstraint(condition=~Q(file=""), name="regulation_file_not_blank"),
            models.CheckConstraint(
                condition=Q(retired_on__isnull=True) | Q(retired_on__gte=F("adopted_on")),
                name="regulation_retired_after_adopted",
                violation_error_message=_("废止日期不能早于印发日期。"),
            ),
            models.CheckConstraint(
                condition=Q(superseded_by__isnull=True) | Q(retired_on__isnull=False),
                name="regulation_superseded_is_retired",
                violation_error_message=_("被替代的制度必须有废止日期。"),
            ),
            models.CheckConstraint(
                condition=~Q(superseded_by=F("pk")), name="regulation_not_superseded_by_itself",
                violation_error_message=_("制度不能被自身替代。"),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def retired(self):
        return self.retired_on is not None

    @property
    def status_label(self):
        """现行, 已废止, or 被替代 (retired because a new version replaced it)."""
        if self.superseded_by_id:
            return _("被替代")
        return _("已废止") if self.retired else _("现行")

    def counts_in(self, year):
        """The rule's test in Python, the same as `in_force(year)` in SQL (tests/regulations agree on both)."""
        return self.adopted_on.year <= year and (self.retired_on is None or self.retired_on.year > year)

    @property
    def filename(self):
        """The name the user uploaded (for the page and the download); the stored name for older rows."""
        if self.original_name:
            return self.original_name
        return display_name(self.file.name) if self.file else ""


def in_force(year):
    """The regulations that count in `year`: adopted by its end and not retired within or before it.

    A regulation retired (or replaced) during a year no longer counts for that
    year: on 31 December it is not in force. Its replacement, adopted on the
    same date, counts from that year on, so a replacement leaves no gap.
    """
    year_end = datetime.date(year, 12, 31)  # dates, not __year: a plain comparison the index on the column serves
    return Q(adopted_on__lte=year_end) & (Q(retired_on__isnull=True) | Q(retired_on__gt=year_end))


# The 变更记录 page lists a document's history in every year it was in force and in the year it was retired.
register(RegulationDocument, label=_("工作制度"), years=date_span("adopted_on", "retired_on"))
