"""The request body is capped before it is read: 413 on the declared Content-Length, nothing parsed.

Given a body declared larger than the largest file plus the largest form
(WUYOU_MAX_UPLOAD_BYTES + DATA_UPLOAD_MAX_MEMORY_SIZE), when it reaches Django,
then the answer is 413 with a Chinese message and not one byte of the body is
read; a body within the cap reaches the form, which names the field.
"""
import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from offices.request_limits import request_limit
from regulations.models import RegulationDocument

pytestmark = pytest.mark.django_db


class UnreadBody(io.RawIOBase):
    """A request body that counts the bytes anyone reads from it."""

    def __init__(self):
        self.bytes_read = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        self.bytes_read += len(buffer)
        buffer[:] = b"\0" * len(buffer)
        return len(buffer)

    def read(self, size=-1):
        size = 64 * 1024 if size is None or size < 0 else size
        self.bytes_read += size
        return b"\0" * size


def declared_post(client, path, length):
    body = UnreadBody()
    # With no data the test client sets neither the type nor the length: both are given as a client sends them.
    response = client.generic("POST", path, b"", CONTENT_TYPE="multipart/form-data; boundary=x",
                              CONTENT_LENGTH=str(length), **{"wsgi.input": body})
    return response, body


def test_the_cap_is_the_largest_file_plus_the_largest_form():
    assert request_limit() == settings.WUYOU_MAX_UPLOAD_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert settings.WUYOU_MAX_UPLOAD_BYTES == 10 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == settings.FILE_UPLOAD_MAX_MEMORY_SIZE == 2_621_440


@pytest.mark.parametrize("length", [1024**3, 10 * 1024**4, request_limit() + 1])
def test_a_body_over_the_cap_is_refused_unread(township, clerk, login, length):
    response, body = declared_post(login(clerk), reverse("regulations:add", args=[township.code]), length)
    assert response.status_code == 413
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("提交的内容有") and "上传的文件不能超过10 MB" in text
    assert body.bytes_read == 0
    assert not RegulationDocument.objects.exists()


def test_the_cap_holds_before_login_too(client):
    response, body = declared_post(client, reverse("login"), 1024**3)
    assert response.status_code == 413 and body.bytes_read == 0


@pytest.mark.parametrize("length", ["not a number", "-5", "+5", "1e9", "٥"])
def test_a_content_length_that_is_not_a_length_is_400_not_500(client, length):
    """Django's body reader calls int() on it: "not a number" raised ValueError, a 500."""
    response = client.generic("POST", reverse("login"), b"", CONTENT_TYPE="application/x-www-form-urlencoded",
                              CONTENT_LENGTH=length)
    assert response.status_code == 400
    assert response.content.decode() == "请求头 Content-Length 不是有效的长度，已拒绝。"


def test_an_absent_content_length_is_an_empty_body(client):
    response = client.generic("POST", reverse("login"), b"", CONTENT_TYPE="application/x-www-form-urlencoded",
                              CONTENT_LENGTH="")
    assert response.status_code == 200


@override_settings(WUYOU_MAX_UPLOAD_BYTES=4096, DATA_UPLOAD_MAX_MEMORY_SIZE=2048)
def test_a_file_just_over_its_limit_gets_the_forms_message_and_a_larger_body_413(township, clerk, login):
    client = login(clerk)
    path = reverse("regulations:add", args=[township.code])
    data = {"kind": "procedures", "title": "民政业务办事程序", "adopted_on": "2024-03-01"}
    response = client.post(path, {**data, "file": SimpleUploadedFile("大.pdf", b"%PDF-1.4\n" + b"%" * 5000)})
    assert response.status_code == 200 and "制度文件不能超过" in response.content.decode()
    response = client.post(path, {**data, "file": SimpleUploadedFile("大.pdf", b"%PDF-1.4\n" + b"%" * 7000)})
    assert response.status_code == 413
    assert not RegulationDocument.objects.exists()
