"""The parts of the page frame (`base.html`) that are the same on every page for a language: the links to the
styles and scripts, the language menu, the account links and the frame's words. Built once per language and script
prefix (they change only with a deploy), instead of by a dozen template tags on every page."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from html import escape

from django.conf import settings
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

STYLES = ("vendor/bootstrap/css/bootstrap.min.css", "vendor/bootstrap-icons/bootstrap-icons.min.css", "core/planea.css")
SCRIPTS = ("vendor/bootstrap/js/bootstrap.bundle.min.js", "vendor/htmx/htmx.min.js", "core/planea.js")


@dataclass(frozen=True)
class Words:
    """The frame's words, translated (escaped by the template)."""

    skip: str
    show_menu: str
    language: str
    change: str
    account: str
    password: str
    sign_out: str
    main_menu: str


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
        language=gettext("Idioma"),
        change=gettext("Cambiar"),
        account=gettext("Mi cuenta"),
        password=gettext("Cambiar contraseña"),
        sign_out=gettext("Cerrar sesión"),
        main_menu=gettext("Menú principal"),
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
        home=reverse("core:home"),
        set_language=reverse("set_language"),
        profile=reverse("accounts:profile"),
        password_change=reverse("accounts:password_change"),
        logout=reverse("accounts:logout"),
    )
