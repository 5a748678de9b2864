"""Rich text written in the browser editor (Quill) is stored as sanitized HTML: only the tags and classes the
editor produces survive; scripts, styles, event handlers and outside images are removed."""

from __future__ import annotations

import html

import nh3

TAGS = {"p", "br", "strong", "em", "u", "s", "ol", "ul", "li", "h2", "h3", "blockquote", "a", "span"}
ATTRIBUTES = {"a": {"href"}, "li": {"data-list"}}
CLASSES = {
    tag: {"ql-indent-1", "ql-indent-2", "ql-indent-3", "ql-align-center", "ql-align-right", "ql-align-justify"}
    for tag in ("p", "li", "h2", "h3")
}


def sanitize(html: str) -> str:
    cleaned = nh3.clean(
        html or "",
        tags=TAGS,
        attributes=ATTRIBUTES,
        allowed_classes=CLASSES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    ).strip()
    return "" if cleaned in {"<p><br></p>", "<p></p>"} else cleaned


def plain_text(value: str) -> str:
    """The words of a rich text, for comparisons and spreadsheets."""
    spaced = (value or "").replace("</p>", "</p>\n").replace("<br>", "\n").replace("</li>", "</li>\n")
    return html.unescape(nh3.clean(spaced, tags=set())).strip()
