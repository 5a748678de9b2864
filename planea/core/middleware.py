"""Spanish first: the interface is Spanish unless the person chose another language (the language cookie).

Django's LocaleMiddleware would follow the browser's Accept-Language, so an office PC with an English Windows
would show Planea in English; here only an explicit choice changes the language.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.middleware.locale import LocaleMiddleware
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class RequestInputMiddleware:
    """Refuses, with a Spanish 400, a request whose query or form fields carry a NUL character: no text field of
    Planea holds one, and PostgreSQL refuses them (the request would otherwise end in a 500 wherever the value
    reached the database)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        fields = [request.GET]
        if request.method == "POST":
            fields.append(request.POST)
        for data in fields:
            for key, values in data.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    message = _("La solicitud contiene un carácter nulo (NUL); revise lo que escribió o pegó.")
                    page = render_to_string("400.html", {"message": message}, request=request)
                    return HttpResponseBadRequest(page)
        return self.get_response(request)
