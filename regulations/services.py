"""Writes for regulation documents: ask the lock, validate fully (the file's size and content too), then save."""
from django.db import transaction

from offices.compliance.store import recompute_township
from offices.reporting import ensure_open
from regulations.models import RegulationDocument, display_name


@transaction.atomic
def regulation_create(*, township, kind, title, adopted_on, file):
    """Record an adopted regulation and store its file (nothing is stored if validation fails).

    The file is stored under a name any file system accepts (`regulation_upload_to`);
    the name the user gave is kept for the page and the download. A regulation
    counts from the year it was adopted on, so that year and every later one must be open.
    """
    ensure_open(township, ((adopted_on.year if adopted_on else None, None),))
    document = RegulationDocument(
        township=township, kind=kind, title=title, adopted_on=adopted_on, file=file,
        original_name=display_name(getattr(file, "name", "")),
    )
    document.full_clean()
    document.save()
    recompute_township(township)
    return document
