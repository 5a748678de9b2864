"""The parts of the page frame (`base.html`) that are the same on every page for a language: the links to the
styles and scripts, the language menu, the account links and the frame's words. Built once per language and script
prefix (they change only with a deploy), instead of by a dozen template tags on every page; and `page_top`, the
header and menu of one page with the person's name and the request's token and address."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from html import escape
from typing import Any

from django.conf import settings
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

MENU_COOKIE = "planea_menu"  # the menu shown or hidden, as the person left it (planea.js)
MENU_STATES = ("collapsed", "open")
STYLES = ("vendor/bootstrap/css/bootstrap.min.css", "vendor/bootstrap-icons/bootstrap-icons.min.css", "core/planea.css")
SCRIPTS = ("vendor/bootstrap/js/bootstrap.bundle.min.js", "vendor/htmx/htmx.min.js", "core/planea.js")


@dataclass(frozen=True)
class Words:
    """The frame's words, translated (escaped by the template)."""

    skip: str
    show_menu: str
    hide_menu: str
    language: str
    change: str
    account: str
    password: str
    sign_out: str
    main_menu: str
    request_failed: str  # what a part of the page updated in place says when the server refused the request


@dataclass(frozen=True)
class Frame:
    language: str  # the code of the active language, for <html lang>
    words: Words
    styles: SafeString  # the icon and the style sheets
    scripts: SafeString
    languages: SafeString  # the <option>s of the language menu (Español, English), the active one selected
    home: str
    set_language: str
    profile: str
    password_change: str
    logout: str


def frame() -> Frame:
    """The frame of the active language."""
    return _frame(get_language(), get_script_prefix())


@cache
def _frame(language: str | None, prefix: str) -> Frame:
    styles = [f'<link rel="icon" href="{escape(static("core/favicon.svg"))}" type="image/svg+xml">']
    styles += [f'<link rel="stylesheet" href="{escape(static(path))}">' for path in STYLES]
    words = Words(
        skip=gettext("Saltar al contenido"),
        show_menu=gettext("Mostrar menú"),
        hide_menu=gettext("Ocultar menú"),
        language=gettext("Idioma"),
        change=gettext("Cambiar"),
        account=gettext("Mi cuenta"),
        password=gettext("Cambiar contraseña"),
        sign_out=gettext("Cerrar sesión"),
        main_menu=gettext("Menú principal"),
        request_failed=gettext(
            "La acción no se completó (error %(status)s): su sesión cambió —por ejemplo, ingresó de nuevo en otra "
            "pestaña— o no tiene permiso. Lo que escribió sigue en la página: cópielo antes de recargarla."
        ),
    )
    return Frame(
        language=language or settings.LANGUAGE_CODE,
        words=words,
        styles=mark_safe("\n  ".join(styles)),
        scripts=mark_safe("\n".join(f'<script src="{escape(static(path))}"></script>' for path in SCRIPTS)),
        languages=mark_safe(
            "".join(
                f'<option value="{escape(code)}"{" selected" if code == language else ""}>'
                f"{escape(name)}</option>"  # each language by its own name, as people look for it
                for code, name in settings.LANGUAGES
            )
        ),
        home=reverse("shell:home"),
        set_language=reverse("set_language"),
        profile=reverse("accounts:profile"),
        password_change=reverse("accounts:password_change"),
        logout=reverse("accounts:logout"),
    )


def page_top(frame: Frame, *, request: Any, user: Any, csrf_token: Any, institution: Any, nav_menu: str) -> SafeString:
    """The frame from <body> to the opening of <main>: the header (brand, language menu, account menu) and the
    person's menu, built in one pass instead of by forty template nodes on every page (a tenth of a millisecond).
    The 500 page has no request (no form to send back) and no person."""
    signed_in = bool(user is not None and user.is_authenticated)
    words = frame.words
    token = escape(str(csrf_token)) if csrf_token is not None else ""
    # The menu as the person left it (planea.js keeps the choice in a cookie); by default it gives way to a table
    # of the whole year on screens narrower than 1700 px (planea.css).
    menu_state = request.COOKIES.get(MENU_COOKIE) if request is not None else None
    body_class = f' class="menu-{menu_state}"' if menu_state in MENU_STATES else ""
    parts = [
        f'<body{body_class} hx-headers=\'{{"X-CSRFToken": "{token}"}}\''
        f' data-request-failed="{escape(words.request_failed)}">\n'
        f'<a class="visually-hidden-focusable skip-link" href="#contenido">{escape(words.skip)}</a>\n'
        '<header class="navbar navbar-expand-lg navbar-dark bg-planea sticky-top" role="banner">\n'
        '  <div class="container-fluid">\n'
    ]
    if signed_in and nav_menu:
        parts.append(
            '    <button class="btn btn-sm btn-outline-light d-none d-lg-inline-block me-2" type="button"'
            ' data-menu-toggle aria-controls="menu-principal" aria-expanded="true"'
            f' data-show="{escape(words.show_menu)}" data-hide="{escape(words.hide_menu)}"'
            f' title="{escape(words.hide_menu)}"><i class="bi bi-layout-sidebar" aria-hidden="true"></i>'
            f'<span class="visually-hidden">{escape(words.hide_menu)}</span></button>\n'
        )
    parts += [
        f'    <a class="navbar-brand fw-semibold" href="{escape(frame.home)}">\n'
        '      <i class="bi bi-clipboard2-data" aria-hidden="true"></i> Planea\n'
    ]
    if institution:
        parts.append(
            '      <span class="small fw-normal opacity-75 d-none d-md-inline">'
            f"· {escape(institution.short_name)}</span>\n"
        )
    parts.append("    </a>\n")
    if signed_in:
        parts.append(
            '    <button class="navbar-toggler" type="button" data-bs-toggle="collapse"'
            ' data-bs-target="#menu-principal" aria-controls="menu-principal" aria-expanded="false"'
            f' aria-label="{escape(words.show_menu)}"><span class="navbar-toggler-icon"></span></button>\n'
        )
    parts.append('    <div class="d-flex align-items-center gap-2 ms-auto order-lg-last">\n')
    if request is not None:
        parts.append(
            f'      <form action="{escape(frame.set_language)}" method="post" class="d-flex align-items-center"'
            " data-language>\n"
            f'        <input type="hidden" name="csrfmiddlewaretoken" value="{token}">\n'
            f'        <input name="next" type="hidden" value="{escape(request.get_full_path())}">\n'
            f'        <label for="idioma" class="visually-hidden">{escape(words.language)}</label>\n'
            '        <select id="idioma" name="language" class="form-select form-select-sm" data-autosubmit>'
            f"{frame.languages}</select>\n"
            '        <noscript><button class="btn btn-sm btn-light ms-1" type="submit">'
            f"{escape(words.change)}</button></noscript>\n"
            "      </form>\n"
        )
    if signed_in:
        name = escape(user.get_full_name() or user.username)
        parts.append(
            '      <div class="dropdown">\n'
            '        <button class="btn btn-sm btn-outline-light dropdown-toggle" type="button"'
            ' data-bs-toggle="dropdown" aria-expanded="false" id="menu-usuario">\n'
            '          <i class="bi bi-person-circle" aria-hidden="true"></i>'
            f' <span data-testid="user-name">{name}</span>\n'
            "        </button>\n"
            '        <ul class="dropdown-menu dropdown-menu-end" aria-labelledby="menu-usuario">\n'
            f'          <li><a class="dropdown-item" href="{escape(frame.profile)}">{escape(words.account)}</a></li>\n'
            f'          <li><a class="dropdown-item" href="{escape(frame.password_change)}">'
            f"{escape(words.password)}</a></li>\n"
            '          <li><hr class="dropdown-divider"></li>\n'
            f'          <li><form method="post" action="{escape(frame.logout)}">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
            f'<button type="submit" class="dropdown-item">{escape(words.sign_out)}</button></form></li>\n'
            "        </ul>\n"
            "      </div>\n"
        )
    menu = signed_in and bool(nav_menu)
    parts.append('    </div>\n  </div>\n</header>\n<div class="container-fluid">\n  <div class="row">\n')
    if menu:
        parts.append(
            '    <nav id="menu-principal" class="col-lg-2 collapse d-lg-block sidebar py-3"'
            f' aria-label="{escape(words.main_menu)}">\n      {nav_menu}\n    </nav>\n'
        )
    width = "col-lg-10" if menu else "col-12"
    parts.append(f'    <main id="contenido" class="{width} py-4 px-lg-4" tabindex="-1">\n')
    return mark_safe("".join(parts))
