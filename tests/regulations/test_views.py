"""Regulation pages: upload validated by content, downloads only within scope."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from regulations.models import RegulationDocument, validate_regulation_file
from tests.factories.offices import CityFactory, StandardFactory, UserFactory
from tests.factories.regulations import (
    DOCX_BYTES,
    EXE_BYTES,
    JPEG_BYTES,
    PDF_BYTES,
    PLAIN_ZIP_BYTES,
    PNG_BYTES,
    RegulationDocumentFactory,
)
from tests.store import fill_store

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def upload(name, content):
    return SimpleUploadedFile(name, content)


def post(client, township, name, content, **extra):
    data = {"kind": "procedures", "title": "民政业务办事程序", "adopted_on": "2024-03-01",
            "file": upload(name, content), **extra}
    return client.post(reverse("regulations:add", args=[township.code]), data)


@pytest.mark.parametrize(
    ("name", "content"),
    [("规则.pdf", PDF_BYTES), ("scan.PNG", PNG_BYTES), ("photo.jpg", JPEG_BYTES), ("photo.jpeg", JPEG_BYTES),
     ("制度.docx", DOCX_BYTES)],
)
def test_clerk_uploads_accepted_types(township, clerk, login, name, content):
    response = post(login(clerk), township, name, content)
    assert response.status_code == 302
    document = RegulationDocument.objects.get()
    assert document.file.name.startswith(f"regulations/{township.code}/")
    assert document.uploaded_at is not None


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("规则.pdf", "这其实是一段文字，不是PDF。".encode(), "制度文件的内容不是 PDF、Word（.docx）、PNG 或 JPEG 文件"),
        ("setup.exe", EXE_BYTES, "制度文件只能是 PDF、Word（.docx）、PNG 或 JPEG 文件，不接受“.exe”"),
        ("规则.pdf", PNG_BYTES, "制度文件的扩展名“.pdf”与文件内容不符"),
        ("制度.docx", PLAIN_ZIP_BYTES, "制度文件的内容不是"),
        ("scan.png", DOCX_BYTES, "制度文件的扩展名“.png”与文件内容不符"),
        ("noext", PDF_BYTES, "不接受“无扩展名”"),
    ],
)
def test_bad_uploads_are_rejected_in_chinese_and_nothing_is_saved(
    township, clerk, login, media_root, name, content, message
):
    response = post(login(clerk), township, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not RegulationDocument.objects.exists()
    assert not any(media_root.rglob("*.*"))


@override_settings(WUYOU_MAX_UPLOAD_BYTES=1024)
def test_too_large_upload_is_rejected(township, clerk, login):
    response = post(login(clerk), township, "大文件.pdf", PDF_BYTES + b"%" * 2048)
    assert response.status_code == 200
    assert "制度文件不能超过" in response.content.decode()
    assert not RegulationDocument.objects.exists()


def test_missing_fields_name_the_field(township, clerk, login):
    response = login(clerk).post(reverse("regulations:add", args=[township.code]), {"kind": "procedures"})
    content = response.content.decode()
    assert response.status_code == 200
    for message in ("请填写制度名称", "请填写印发日期", "请选择要上传的制度文件"):
        assert message in content
    assert not RegulationDocument.objects.exists()


def test_future_adoption_date_rejected(township, clerk, login):
    future = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    response = post(login(clerk), township, "a.pdf", PDF_BYTES, adopted_on=future)
    assert "印发日期不能晚于今天" in response.content.decode()
    assert not RegulationDocument.objects.exists()


def test_model_validation_also_guards_services(township):
    with pytest.raises(ValidationError) as error:
        validate_regulation_file(upload("a.pdf", b"plain text"))
    assert error.value.code == "file_content"


def test_read_only_roles_cannot_upload(township, county_official, city_staff, login):
    for user in (county_official, city_staff):
        response = post(login(user), township, "a.pdf", PDF_BYTES)
        assert response.status_code == 403
    assert not RegulationDocument.objects.exists()


def test_other_clerk_cannot_upload(township, other_township, login):
    response = post(login(UserFactory(role="township", township=other_township)), township, "a.pdf", PDF_BYTES)
    assert response.status_code == 404


def test_list_shows_missing_kinds(township, clerk, county_official, login):
    StandardFactory()
    RegulationDocumentFactory(township=township, kind="procedures", adopted_on=datetime.date(2024, 5, 1))
    for user in (clerk, county_official):
        response = login(user).get(reverse("regulations:list", args=[township.code]) + "?year=2024")
        content = response.content.decode()
        assert response.status_code == 200
        assert "截至2024年底缺：岗位责任" in content
        assert "/media/" not in content


class TestDownload:
    def url(self, document):
        return reverse("regulations:download", args=[document.township.code, document.pk])

    def test_in_scope_users_download(self, township, clerk, county_official, city_staff, login):
        document = RegulationDocumentFactory(township=township)
        for user in (clerk, county_official, city_staff):
            response = login(user).get(self.url(document))
            assert response.status_code == 200
            assert b"".join(response.streaming_content) == PDF_BYTES
            assert response["Content-Disposition"].startswith("attachment")

    def test_out_of_scope_users_get_404(self, township, other_township, other_county, login):
        document = RegulationDocumentFactory(township=township)
        other_city = CityFactory(code="370100000000")
        outsiders = [
            UserFactory(role="township", township=other_township),
            UserFactory(role="county", county=other_county),
            UserFactory(role="city", city=other_city),
        ]
        for user in outsiders:
            assert login(user).get(self.url(document)).status_code == 404

    def test_code_must_match_the_document(self, township, other_township, clerk, login):
        document = RegulationDocumentFactory(township=township)
        url = reverse("regulations:download", args=[other_township.code, document.pk])
        assert login(clerk).get(url).status_code == 404

    def test_anonymous_is_sent_to_login(self, township, client):
        document = RegulationDocumentFactory(township=township)
        response = client.get(self.url(document))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    def test_no_public_media_route(self, township, clerk, login):
        document = RegulationDocumentFactory(township=township)
        assert login(clerk).get("/media/" + document.file.name).status_code == 404


def test_list_pinned_queries(township, clerk, login, django_assert_max_num_queries):
    StandardFactory()
    for kind in ("procedures", "finance", "archives"):
        RegulationDocumentFactory(township=township, kind=kind)
    client = login(clerk)
    fill_store()  # the services keep the store current; count the page's own reads
    with django_assert_max_num_queries(12):
        assert client.get(reverse("regulations:list", args=[township.code])).status_code == 200
