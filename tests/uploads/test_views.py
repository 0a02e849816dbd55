"""Uploads through the page: hostile documents refused with memory flat, long names stored short.

Given a township clerk on the upload page, when they send a 1 GiB zip bomb named .docx or a .docx
with macros, then the page answers with the reason on the file field, nothing is stored, and the
request's peak memory (tracemalloc) stays within a few MiB; when they send a document whose Chinese
name is too long for the file system, then it is stored under a shortened name and downloaded
under the name they gave.
"""
import random
import tracemalloc
from pathlib import PurePath
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from regulations.models import RegulationDocument, display_name, stored_name
from tests.uploads import zips

pytestmark = pytest.mark.django_db

# The request itself holds the ~1 MB upload a few times (the test client's multipart body, the parsed
# file) and renders the form page: about 3.6 MiB measured; unpacking the bomb would be a gigabyte.
PAGE_PEAK_LIMIT = 5 * zips.MiB


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture(scope="module")
def bomb():
    return zips.zip_bomb()


def post(client, township, name, content):
    data = {"kind": "procedures", "title": "民政业务办事程序", "adopted_on": "2024-03-01",
            "file": SimpleUploadedFile(name, content)}
    return client.post(reverse("regulations:add", args=[township.code]), data)


def warmed_up(client, township):
    """The client after one refused upload: the first request of a process loads templates and catalogs."""
    post(client, township, "warm-up.pdf", b"not a pdf")
    return client


def traced(call):
    """Run `call`; return its result and the peak of memory allocated meanwhile, in bytes."""
    tracemalloc.start()
    try:
        result = call()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_zip_bomb_named_docx_is_refused_with_memory_flat(township, clerk, login, media_root, bomb):
    client = warmed_up(login(clerk), township)
    response, peak = traced(lambda: post(client, township, "工作制度.docx", bomb))
    assert response.status_code == 200
    assert "制度文件解压后至少有1024 MB，超过50 MB的上限" in response.content.decode()
    assert not RegulationDocument.objects.exists() and not any(media_root.rglob("*.*"))
    assert peak < PAGE_PEAK_LIMIT, f"peak {peak / zips.MiB:.1f} MiB"


def test_a_docx_with_macros_is_refused_with_memory_flat(township, clerk, login, media_root):
    client = warmed_up(login(clerk), township)
    project = random.Random(7).randbytes(256 * 1024)  # incompressible: refused for the macros, not the ratio
    document = zips.docx([("word/vbaProject.bin", project)], content_types=zips.MACRO_CONTENT_TYPES)
    response, peak = traced(lambda: post(client, township, "带宏的制度.docx", document))
    assert response.status_code == 200
    assert "制度文件含有宏（VBA）、ActiveX 控件或嵌入的程序对象" in response.content.decode()
    assert not RegulationDocument.objects.exists() and not any(media_root.rglob("*.*"))
    assert peak < PAGE_PEAK_LIMIT, f"peak {peak / zips.MiB:.1f} MiB"


def test_a_harmless_docx_is_still_accepted(township, clerk, login):
    assert post(login(clerk), township, "制度.docx", zips.docx()).status_code == 302
    assert RegulationDocument.objects.get().filename == "制度.docx"


LONG_NAME = "临沂市兰山区兰山街道民政办公室关于进一步规范" + "社会救助审核审批与档案管理工作" * 5 + "的实施办法（试行）.docx"


@pytest.mark.parametrize("name", [LONG_NAME[:84] + ".docx", LONG_NAME], ids=["89-characters", "long"])
def test_a_long_chinese_name_is_stored_short_and_downloaded_whole(township, clerk, login, media_root, name):
    assert len(name.encode()) > 255  # what the file system refused: "File name too long", a 500
    client = login(clerk)
    for _ in range(2):  # the second one collides: the storage adds its suffix within the file system's limit
        assert post(client, township, name, zips.docx()).status_code == 302
    first, second = RegulationDocument.objects.order_by("pk")
    stored = [PurePath(document.file.name).name for document in (first, second)]
    assert stored[0] != stored[1] and all(s.endswith(".docx") for s in stored)
    assert len(stored[0].encode()) <= 100 and len(stored[1].encode()) <= 108
    assert {p.name for p in media_root.rglob("*.docx")} == set(stored)
    assert first.original_name == second.original_name == name

    page = client.get(reverse("regulations:list", args=[township.code]))
    assert name in page.content.decode()
    response = client.get(reverse("regulations:download", args=[township.code, second.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(name)}"
    assert b"".join(response.streaming_content) == zips.docx()


def test_a_document_stored_before_the_original_name_was_kept_downloads_under_its_stored_name(township, clerk, login):
    client = login(clerk)
    post(client, township, "旧制度.pdf", b"%PDF-1.4\n%%EOF\n")
    RegulationDocument.objects.update(original_name="")
    document = RegulationDocument.objects.get()
    assert document.filename == "旧制度.pdf"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("规则.pdf", "规则.pdf"),
        ("a" * 300 + ".pdf", "a" * 96 + ".pdf"),
        ("民" * 40 + ".docx", "民" * 31 + ".docx"),  # 98 bytes: a 32nd character would make 101
        ("民" * 40, "民" * 33),  # no extension: 99 bytes
        ("dir/sub/名称.PNG", "名称.PNG"),
        ("x." + "y" * 40, "x." + "y" * 15),  # an extension is kept to 16 characters
    ],
)
def test_stored_name_fits_in_100_bytes_on_a_character_boundary(name, expected):
    assert stored_name(name) == expected
    assert len(stored_name(name).encode()) <= 100


def test_display_name_drops_control_characters_and_keeps_255_characters():
    assert display_name("制度\x0b文件\n.pdf") == "制度文件.pdf"
    long = "长" * 300 + ".docx"
    assert display_name(long) == "长" * 250 + ".docx"
