"""Refuse a request before any view reads it: a body over the cap (413), a NUL byte anywhere (400).

The body cap is checked on the declared Content-Length, before Django reads
or parses a byte of the body: a 1 GB upload is refused without being
spooled to a temporary file first. The largest request accepted is the
largest file (WUYOU_MAX_UPLOAD_BYTES) plus the largest form Django parses
(DATA_UPLOAD_MAX_MEMORY_SIZE), so a file just over its own limit still
reaches the form and gets the form's message, which names the field. A body
sent without a Content-Length (chunked) is not read by Django at all.

A NUL byte is never part of real input, and PostgreSQL refuses any query
holding one ("A string literal cannot contain NUL characters"): a %00 in a
parameter, the path, a form field or a cookie answered 500. It is refused
here, in one place, instead of in every view that passes a parameter to a
query.
"""
from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _

NUL = "\x00"
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def declared_length(request):
    """The Content-Length the client declared (0 when absent), or None when it is not a length."""
    value = str(request.META.get("CONTENT_LENGTH") or "0").strip()
    # int() would take "+5", " 5" or "٥"; a length is ASCII digits only (RFC 9110, 8.6).
    return int(value) if value.isascii() and value.isdigit() else None


def request_limit():
    """The largest request body accepted: the largest file plus the largest form."""
    return settings.WUYOU_MAX_UPLOAD_BYTES + (settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0)


def _megabytes(size):
    return f"{size / 1024 / 1024:.1f}".removesuffix(".0")


def _holds_nul(pairs):
    return any(NUL in key or any(NUL in value for value in values) for key, values in pairs)


def has_nul_byte(request):
    """Whether the path, a query parameter, a cookie or a form field holds a NUL byte."""
    if NUL in request.path_info or _holds_nul(request.GET.lists()):
        return True
    if _holds_nul((name, [value]) for name, value in request.COOKIES.items()):
        return True
    if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
        return _holds_nul(request.POST.lists())
    return False


def _refusal(message, status):
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


class RequestLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length, limit = declared_length(request), request_limit()
        if length is None:
            # Django's own body reader would raise ValueError on it (a 500); gunicorn refuses it first.
            return _refusal(_("请求头 Content-Length 不是有效的长度，已拒绝。"), 400)
        if length > limit:
            return _refusal(
                _("提交的内容有%(size)s MB，超过了%(limit)s MB的上限（上传的文件不能超过%(file_limit)s MB），"
                  "请压缩或拆分文件后重新上传。") % {
                    "size": _megabytes(length), "limit": _megabytes(limit),
                    "file_limit": _megabytes(settings.WUYOU_MAX_UPLOAD_BYTES)},
                413,
            )
        if has_nul_byte(request):
            return _refusal(_("请求的网址、参数或表单中含有空字符（NUL），已拒绝。请检查链接或填写的内容后重试。"), 400)
        return self.get_response(request)
