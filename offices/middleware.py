"""Chinese first: the UI language is the user's explicit choice, never the browser's.

Django's LocaleMiddleware falls back to the browser's Accept-Language, which
would put a clerk whose browser says en-US into English. Here only the
language cookie set by the language menu (set_language) switches away from
LANGUAGE_CODE.
"""
from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class ChosenLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response
