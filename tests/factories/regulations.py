"""Regulation documents, and tiny files for upload tests: real content of each accepted type, and impostors."""
import datetime
import io
import zipfile

import factory
from django.core.files.base import ContentFile

from offices.vocabulary import RegulationKind
from regulations.demo import minimal_pdf
from regulations.models import RegulationDocument
from tests.factories.base import Factory
from tests.factories.offices import TownshipFactory

PDF_BYTES = minimal_pdf("test regulation")
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 100


def zip_bytes(names):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<xml/>")
    return buffer.getvalue()


DOCX_BYTES = zip_bytes(["[Content_Types].xml", "word/document.xml"])
PLAIN_ZIP_BYTES = zip_bytes(["readme.txt"])


class RegulationDocumentFactory(Factory):
    class Meta:
        model = RegulationDocument

    township = factory.SubFactory(TownshipFactory)
    kind = "procedures"
    title = factory.LazyAttribute(lambda o: f"{o.township.name}{RegulationKind(o.kind).label}制度")
    adopted_on = datetime.date(2020, 1, 1)
    file = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="rule.pdf"))
