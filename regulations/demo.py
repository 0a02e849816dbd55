"""Demo regulation documents: most townships adopted every required regulation, some lag behind.

Every demo row points at one of a few tiny generated PDFs (one per kind),
stored once through Django's storage, so the demo stays small on disk.
"""
import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from offices.vocabulary import RegulationKind
from regulations.models import RegulationDocument

DEMO_DIR = "regulations/demo"


def minimal_pdf(text):
    """Return the bytes of a valid one-page PDF showing `text` (ASCII) in Helvetica."""
    safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 14 Tf 72 720 Td ({safe}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def demo_files():
    """Kind → storage name of its demo PDF, writing each file once."""
    names = {}
    for kind in RegulationKind.values:
        name = f"{DEMO_DIR}/{kind}.pdf"
        if not default_storage.exists(name):
            name = default_storage.save(name, ContentFile(minimal_pdf(f"Wuyou demo regulation: {kind}")))
        names[kind] = name
    return names


TITLES = {
    RegulationKind.PROCEDURES: "民政业务办事程序",
    RegulationKind.POST_RESPONSIBILITY: "民政办公室岗位责任制",
    RegulationKind.SERVICE_COMMITMENT: "民政便民服务承诺制度",
    RegulationKind.ARCHIVES: "民政档案管理制度",
    RegulationKind.FIRST_INQUIRY: "首问负责制度",
    RegulationKind.TIME_LIMIT: "限时办结制度",
    RegulationKind.FINANCE: "民政资金财务收支管理制度",
    RegulationKind.ASSESSMENT_REWARDS: "民政工作人员考核奖惩办法",
}


def build(rng, units):
    """Regulation documents for every demo township (about one in six misses one or two kinds)."""
    files = demo_files()
    last = units.years[-1]
    documents = []
    for township in units.townships:
        roll = rng.random()
        missing = set()
        if roll < 0.16:
            missing = set(rng.sample(RegulationKind.values, rng.randint(1, 2)))
        late = rng.choice(RegulationKind.values) if roll > 0.92 else None
        for kind in RegulationKind.values:
            if kind in missing:
                continue
            if kind == late:
                adopted_on = datetime.date(last, rng.randint(1, 6), rng.randint(1, 28))  # adopted only this year
            else:
                year = rng.randint(2012, units.years[0] - 1)
                adopted_on = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
            documents.append(RegulationDocument(
                township=township, kind=kind, title=f"{township.name}{TITLES[kind]}", adopted_on=adopted_on,
                file=files[kind],
            ))
    RegulationDocument.objects.bulk_create(documents, batch_size=2000)
    return documents
