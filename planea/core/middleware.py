"""Spanish first: the interface is Spanish unless the person chose another language (the language cookie).

Django's LocaleMiddleware would follow the browser's Accept-Language, so an office PC with an English Windows
would show Planea in English; here only an explicit choice changes the language.
"""

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, QueryDict
from django.middleware.locale import LocaleMiddleware
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from .responses import bad_request

SESSION_KEY = re.compile(r"^[a-z0-9]{8,40}$", re.ASCII)


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class IncomingHeadersMiddleware:
    """Runs first. Forgets a session cookie that cannot be a session key (Django's are 32 lower-case letters and
    digits), and drops NUL characters from the request's headers: looked up or stored as they came (the sign-in
    limits keep the user agent), they answered 500 on PostgreSQL, signed in or not."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if key is not None and not SESSION_KEY.match(key):
            del request.COOKIES[settings.SESSION_COOKIE_NAME]
        for name, value in list(request.META.items()):
            if name.startswith("HTTP_") and isinstance(value, str) and "\x00" in value:
                request.META[name] = value.replace("\x00", "")
        return self.get_response(request)


# Control characters other than tab and line ends: a word processor's line and page breaks (vertical tab, form feed,
# the Unicode line and paragraph separators) and stray escapes; and the private-use characters of a word processor's
# symbol fonts (a bulleted list pasted from Word brings U+F0B7). Official PDFs draw them as empty boxes and their
# text can no longer be read back or searched.
BREAKS = re.compile("[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ue000-\uf8ff]")
SYMBOL_FONT = {"\uf0b7": "•", "\uf0a7": "▪", "\uf0d8": "➢", "\uf076": "❖", "\uf0fc": "✓"}  # Word's list bullets


def printable_text(value: str) -> str:
    """`value` with a pasted break as a new line (as a space in a value of one line: a name, a subject), a list
    bullet as its character, and every other control or private-use character dropped."""
    value = BREAKS.sub("\n" if "\n" in value or "\r" in value else " ", value)
    return CONTROL.sub(lambda found: SYMBOL_FONT.get(found.group(), ""), value)


def printable(data: QueryDict) -> QueryDict:
    """`data` with every value made printable (`printable_text`)."""
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        cleaned.setlist(key, [printable_text(value) for value in values])
    cleaned._mutable = False
    return cleaned


class RequestInputMiddleware:
    """Refuses, with a Spanish 400, a request whose path, query or form fields carry a NUL character: no text of
    Planea holds one, and PostgreSQL refuses them (the request would otherwise end in a 500 wherever the value
    reached the database). Other control characters in form fields are made printable (`printable`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            return self.refuse(request)
        fields = [request.GET]
        if request.method == "POST":
            fields.append(request.POST)
        for data in fields:
            for key, values in data.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    return self.refuse(request)
        if request.method == "POST" and any(CONTROL.search(v) for _k, vs in request.POST.lists() for v in vs):
            request.POST = printable(request.POST)  # type: ignore[assignment]  # immutable, as Django's own
        return self.get_response(request)

    @staticmethod
    def refuse(request: HttpRequest) -> HttpResponse:
        return bad_request(request, _("La solicitud contiene un carácter nulo (NUL); revise lo que escribió o pegó."))


class FormAddressMiddleware:
    """A form's address opened rather than sent (a GET where only POST is taken: typically the sign-in page sending
    the person back to where their expired session was posting) answers a Spanish page with a link to the page the
    form belongs to (the address one level up), instead of Django's empty 405."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or request.method not in ("GET", "HEAD") or response.content:
            return response
        back = request.path.rstrip("/").rsplit("/", 1)[0] + "/"
        return HttpResponseNotAllowed(
            response.get("Allow", "POST").split(", "),
            render_to_string("405.html", {"back": back}, request=request),
        )
