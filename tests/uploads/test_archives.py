"""A .docx is inspected from its central directory: bombs, too many parts, macros and odd archives are refused.

Given archives built on the fly, when `inspect_package` (regulations.archives) or the model's file
validator reads them, then each hostile one is refused with its reason — naming the field, in Chinese —
and the harmless ones pass.
"""
import io
import subprocess
import sys
import tracemalloc
import zipfile

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from regulations.archives import ArchiveRefused, central_directory, inspect_package, is_macro_part
from regulations.models import validate_regulation_file
from tests.uploads import zips

LIMITS = {"max_entries": 1000, "max_total_size": 50 * zips.MiB, "max_ratio": 100}


def refusal(data, **limits):
    with pytest.raises(ArchiveRefused) as caught:
        inspect_package(io.BytesIO(data), **{**LIMITS, **limits})
    return caught.value


def peak_in_fresh_process(body):
    """Run `body`, which prints its result, in a new Python with the archive inspector and the test zips imported;
    return the printed words, the last as an int."""
    script = ("import io, tracemalloc\nfrom regulations.archives import ArchiveRefused, inspect_package\n"
              "from tests.uploads import zips\n" + body)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                          cwd=settings.BASE_DIR, timeout=120)
    *words, last = done.stdout.split()
    return (*words, int(last))


def message(data, name="制度.docx"):
    with pytest.raises(ValidationError) as caught:
        validate_regulation_file(SimpleUploadedFile(name, data))
    return caught.value.code, caught.value.messages[0]


def test_a_plain_docx_passes_and_its_parts_are_named():
    assert inspect_package(io.BytesIO(zips.docx()), **LIMITS) == ["[Content_Types].xml", "word/document.xml"]
    validate_regulation_file(SimpleUploadedFile("制度.docx", zips.docx()))


def test_the_stream_is_left_at_its_start():
    stream = io.BytesIO(zips.docx())
    inspect_package(stream, **LIMITS)
    assert stream.tell() == 0


def test_a_zip64_end_record_is_read_like_zipfile_reads_it():
    data = zips.as_zip64(zips.docx())
    assert zipfile.ZipFile(io.BytesIO(data)).namelist() == ["[Content_Types].xml", "word/document.xml"]
    assert inspect_package(io.BytesIO(data), **LIMITS) == ["[Content_Types].xml", "word/document.xml"]


def test_declared_sizes_come_from_the_directory():
    entries = list(central_directory(io.BytesIO(zips.docx([("word/media/blank.xml", bytes(5000))])),
                                     max_entries=10))
    blank = entries[-1]
    assert (blank.name, blank.size) == ("word/media/blank.xml", 5000) and blank.compressed_size < 100


class TestZipBomb:
    @pytest.fixture(scope="class")
    @classmethod
    def bomb(cls):
        return zips.zip_bomb()  # 1 GiB of zeros declared, about 1 MB on disk

    def test_a_gigabyte_declared_is_refused_with_memory_flat(self, bomb):
        assert len(bomb) < 2 * zips.MiB
        tracemalloc.start()
        try:
            refused = refusal(bomb)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert refused.code == "archive_too_large" and refused.params["size"] >= 1024 * zips.MiB
        assert peak < 512 * 1024, f"peak {peak} bytes"

    def test_the_message_names_the_field_and_the_sizes(self, bomb):
        code, text = message(bomb)
        assert code == "archive_too_large"
        assert text.startswith("制度文件解压后至少有1024 MB，超过50 MB的上限")

    def test_a_bomb_renamed_to_pdf_is_refused_for_what_it_is(self, bomb):
        assert message(bomb, "规则.pdf")[0] == "archive_too_large"


def test_one_part_compressed_more_than_100_to_1_is_refused():
    data = zips.docx([("word/media/image1.xml", bytes(200 * 1024))])  # 200 KiB of zeros: about 1000:1
    refused = refusal(data)
    assert refused.code == "archive_ratio" and refused.params["ratio"] > 100
    code, text = message(data)
    assert code == "archive_ratio" and text.startswith("制度文件中有部件的压缩比达到") and "超过100:1的上限" in text


def test_a_small_part_may_compress_well():
    """Below 100 KiB a part is not held to the ratio (repeated XML compresses far better than 100:1)."""
    data = zips.docx([("word/numbering.xml", bytes(90 * 1024))])
    inspect_package(io.BytesIO(data), **LIMITS)
    assert refusal(data, max_total_size=64 * 1024).code == "archive_too_large"  # the total still counts it


def test_too_many_parts_are_refused_from_the_end_record():
    refused = refusal(zips.many_entries(1000))  # 1002 with the two parts of every document
    assert refused.code == "archive_entries" and refused.params == {"count": 1002, "limit": 1000}
    code, text = message(zips.many_entries(1000))
    assert text == "制度文件内含1002个部件，超过1000个的上限，不像正常的 Word 文档，不能上传。"


def test_an_end_record_that_understates_the_parts_does_not_fool_the_count():
    data = zips.understate_entries(zips.many_entries(5000), 2)
    assert zipfile.ZipFile(io.BytesIO(data)).namelist()[-1] == "customXml/4999.xml"  # zipfile reads them all
    # Measured in a fresh interpreter: tracemalloc counts the allocations of every thread, and in a full run a
    # worker holds other tests' threads (the session's live server among them); in-process it read 3.9 MB there
    # (never alone), with or without a garbage collection in the window.
    code, count, peak = peak_in_fresh_process("""
data = zips.understate_entries(zips.many_entries(5000), 2)
tracemalloc.start()
try:
    inspect_package(io.BytesIO(data), max_entries=1000, max_total_size=50 * zips.MiB, max_ratio=100)
except ArchiveRefused as refused:
    result = (refused.code, refused.params["count"])
peak = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
print(result[0], result[1], peak)
""")
    assert (code, count) == ("archive_entries", "1000+")
    assert peak < 512 * 1024, f"peak {peak} bytes"


@pytest.mark.parametrize(
    "parts",
    [
        [("word/vbaProject.bin", b"Attribute VB_Name")],
        [("word/vbaData.xml", b"<wne:vbaSuppData/>")],
        [("word/activeX/activeX1.xml", b"<ax:ocx/>")],
        [("word/activeX/activeX1.bin", b"\xd0\xcf\x11\xe0")],
        [("word/embeddings/oleObject1.bin", b"\xd0\xcf\x11\xe0")],
        [("WORD/VBAPROJECT.BIN", b"x")],
    ],
    ids=["vba-project", "vba-data", "activex-xml", "activex-bin", "ole-object", "upper-case"],
)
def test_macros_activex_and_binary_parts_are_refused(parts):
    assert refusal(zips.docx(parts)).code == "archive_macros"
    code, text = message(zips.docx(parts))
    assert text.startswith("制度文件含有宏（VBA）、ActiveX 控件或嵌入的程序对象")


def test_a_docm_renamed_docx_is_refused_by_its_content_types():
    assert refusal(zips.docx(content_types=zips.MACRO_CONTENT_TYPES)).code == "archive_macros"


def test_a_docx_with_macros_is_refused_with_memory_flat():
    data = zips.docx([("word/vbaProject.bin", bytes(64 * 1024))], content_types=zips.MACRO_CONTENT_TYPES)
    upload = SimpleUploadedFile("带宏的制度.docx", data)
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError) as caught:
            validate_regulation_file(upload)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert caught.value.code == "archive_macros"
    assert peak < 512 * 1024, f"peak {peak} bytes"


@pytest.mark.parametrize(
    ("data", "code", "text"),
    [
        (zips.set_central_flags(zips.docx(), 0x1), "archive_encrypted", "制度文件含有加密内容"),
        (zips.docx(compression=zipfile.ZIP_BZIP2), "archive_method", "制度文件使用了 Word 文档不会使用的压缩方式"),
        (zips.docx()[:-30], "archive_corrupt", "制度文件不是完整有效的 Word 文档"),
        (zips.docx()[:200], "archive_corrupt", "制度文件不是完整有效的 Word 文档"),
    ],
    ids=["encrypted", "bzip2", "truncated-end", "truncated-directory"],
)
def test_archives_that_cannot_be_checked_are_refused(data, code, text):
    refused_code, refused_text = message(data)
    assert refused_code == code and refused_text.startswith(text)


@pytest.mark.parametrize(
    ("name", "is_macro"),
    [("word/vbaProject.bin", True), ("xl/vbaProject.bin", True), ("word/activeX/activeX3.xml", True),
     ("word/embeddings/Microsoft_Excel_Worksheet.xlsx", False), ("word/media/image1.png", False),
     ("word/document.xml", False), ("customXml/item1.xml", False)],
)
def test_which_parts_hold_code(name, is_macro):
    assert is_macro_part(name) is is_macro
