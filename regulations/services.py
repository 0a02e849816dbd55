"""Writes for regulation documents: validate fully (the file's size and content too), then save."""
from django.db import transaction

from regulations.models import RegulationDocument


@transaction.atomic
def regulation_create(*, township, kind, title, adopted_on, file):
    """Record an adopted regulation and store its file (nothing is stored if validation fails)."""
    document = RegulationDocument(township=township, kind=kind, title=title, adopted_on=adopted_on, file=file)
    document.full_clean()
    document.save()
    return document
