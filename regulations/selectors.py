"""Reads for the regulations page: the township's documents, grouped by kind and marked from the rule's result."""
from dataclasses import dataclass

from offices.vocabulary import RegulationKind
from regulations.models import RegulationDocument


def township_documents(user, township):
    """The township's current (not retired) documents the user may see, by kind, newest adoption first."""
    return (
        RegulationDocument.objects.for_user(user).filter(township=township, retired_on__isnull=True)
        .order_by("kind", "-adopted_on", "-pk")
    )


def retired_documents(user, township):
    """The township's retired and replaced documents the user may see, most recently retired first, with the
    document that replaced each (one query)."""
    return (
        RegulationDocument.objects.for_user(user).filter(township=township, retired_on__isnull=False)
        .select_related("superseded_by").order_by("-retired_on", "kind", "-pk")
    )


@dataclass(frozen=True)
class KindRow:
    kind: str
    label: str
    required: bool  # the standard in force requires this kind
    missing: bool  # the rule found it not adopted by the end of the year
    documents: list


def kind_rows(documents, result):
    """One row per kind of regulation: the required kinds first (the standard's order), then the others.

    Which kinds are required and which are missing come from `result` (the
    one computation's `regulations.required` for this township and year), so
    the page says what the scorecard says; a result that is not assessed
    marks nothing.
    """
    by_label = {str(label): kind for kind, label in RegulationKind.choices}
    assessed = result is not None and result.assessed
    required = [by_label[label] for label in result.required] if assessed else []
    missing = set(result.items) if assessed else set()
    by_kind = {}
    for document in documents:
        by_kind.setdefault(document.kind, []).append(document)
    kinds = required + [kind for kind in RegulationKind.values if kind not in required]
    return [
        KindRow(kind=kind, label=str(RegulationKind(kind).label), required=kind in required,
                missing=str(RegulationKind(kind).label) in missing, documents=by_kind.get(kind, []))
        for kind in kinds
    ]
