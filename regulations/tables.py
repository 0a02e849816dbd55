"""The regulations page's lists as offices.tables lists: the township's regulations in force (a row per document,
and a red row for each required kind the year lacks) and the retired or replaced ones."""
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from offices.tables import Column
from regulations.models import RegulationDocument


@dataclass(frozen=True)
class RegulationRow:
    """A row of the regulations in force: a document of a kind, or (document None) a required kind that is missing."""

    kind: str
    label: str
    required: bool  # the standard in force requires the kind
    position: int  # the kind's place on the page: the required kinds first, in the standard's order
    document: RegulationDocument | None
    missing_text: str = ""  # what a missing kind's row says

    @property
    def missing(self):
        return self.document is None


def current_rows(kind_rows, year):
    """[RegulationRow] of selectors.kind_rows: each kind's documents, then the kind itself if the result finds it
    missing at the end of `year` (a document adopted later does not cover the year)."""
    rows = []
    for position, kind in enumerate(kind_rows):
        for document in kind.documents:
            rows.append(RegulationRow(kind.kind, kind.label, kind.required, position, document))
        if kind.missing:
            text = gettext_now("缺（截至%(year)s年底未印发）") % {"year": year} if kind.documents else gettext_now("缺")
            rows.append(RegulationRow(kind.kind, kind.label, kind.required, position, None, text))
    return rows


def _document(attribute):
    return lambda row: getattr(row.document, attribute) if row.document is not None else None


def _download(township):
    return lambda document: reverse("regulations:download", args=[township.code, document.pk])


def current_columns(township):
    download = _download(township)
    return [
        Column("kind", _("制度类别"), value="label", order="position", fail=lambda row: row.missing),
        Column("required", _("标准要求"), value=lambda row: row.required, order=lambda row: not row.required),
        Column("title", _("制度名称"), value=lambda row: row.missing_text or row.document.title,
               fail=lambda row: row.missing),
        Column("adopted_on", _("印发日期"), value=_document("adopted_on"),
               order=lambda row: row.document and row.document.adopted_on),
        Column("uploaded_at", _("上传时间"), value=_document("uploaded_at"),
               order=lambda row: row.document and row.document.uploaded_at),
        Column("file", _("文件"), value=_document("filename"), order=False,
               link=lambda row: download(row.document) if row.document is not None else ""),
    ]


def missing_row(row):
    return "table-danger" if row.missing else ""


def current_data(row):
    """The row's marks: its kind, whether the standard requires it, and whether it is the kind's missing row."""
    return {"kind": row.kind, "required": "1" if row.required else "0", **({"missing": "1"} if row.missing else {})}


def retired_data(document):
    return {"retired": document.pk}


def _replacement(document):
    new = document.superseded_by
    return f"“{new.title}”（{new.adopted_on.isoformat()}）" if new is not None else None


def retired_columns(township):
    return [
        Column("kind", _("制度类别"), value=lambda document: document.get_kind_display(), order="kind"),
        Column("title", _("制度名称")),
        Column("adopted_on", _("印发日期")),
        Column("retired_on", _("废止日期")),
        Column("status", _("状态"), value="status_label", order=lambda document: document.superseded_by_id is None),
        Column("replacement", _("替代为"), value=_replacement, order=False),
        Column("reason", _("废止原因"), value="retire_reason", order=False),
        Column("file", _("文件"), value="filename", order=False, link=_download(township)),
    ]
