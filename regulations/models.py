"""Written regulations the township office has adopted (有章理事), with the file itself.

Files are never served from a public media URL: they are downloaded through
a scoped view (regulations.views.regulation_download).
"""
import zipfile
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from offices.models import Township
from offices.querysets import township_scoped
from offices.vocabulary import RegulationKind

# Extension → the content type the bytes must show.
ALLOWED_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
FIELD_LABEL = _("制度文件")


def regulation_upload_to(instance, filename):
    """Store under regulations/<township code>/ with the original (sanitised) name."""
    return f"regulations/{instance.township.code}/{PurePath(filename).name}"


def detect_content_type(upload):
    """Tell the content type from the bytes (not the name or the browser's claim), or None."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is not None and kind.mime in ("application/pdf", "image/png", "image/jpeg"):
        return kind.mime
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                if "word/document.xml" in archive.namelist():
                    return ALLOWED_TYPES[".docx"]
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            upload.seek(0)
    return None


def validate_regulation_file(upload):
    """Accept a PDF, PNG, JPEG or DOCX no larger than WUYOU_MAX_UPLOAD_BYTES whose name matches its content."""
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


class RegulationDocument(models.Model):
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
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = township_scoped("township").as_manager()

    class Meta:
        verbose_name = _("工作制度")
        verbose_name_plural = _("工作制度")
        # The table was created when the model lived in offices; the move kept it (no data copied).
        db_table = "offices_regulationdocument"
        ordering = ["township", "kind", "-adopted_on"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="regulation_title_not_blank"),
            models.CheckConstraint(condition=~Q(file=""), name="regulation_file_not_blank"),
        ]

    def __str__(self):
        return self.title

    @property
    def filename(self):
        return PurePath(self.file.name).name if self.file else ""
