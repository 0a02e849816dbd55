"""Chinese first: the UI language is the user's explicit choice, never the browser's.

Django's LocaleMiddleware falls back to the browser's Accept-Language, which
would put a clerk whose browser says en-US into English. Here only the
language cookie set by the language menu (set_language) switches away from
LANGUAGE_CODE.
"""
from django.conf import settings
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers


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


class NoStoreForAuthenticatedMiddleware:
    """Tell browsers and proxies not to keep any response given to a signed-in user.

    Those pages show birth dates, phone numbers and unpublished figures; a shared office
    computer's back button or disk cache must not bring them back after logout. Static
    files never reach this middleware (whitenoise answers them first), so they stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
            response.headers["Pragma"] = "no-cache"
        return response
