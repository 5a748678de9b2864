"""Reading definition XML safely: no DTD, no entities, no network, no huge trees."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from lxml import etree

DECLARATIONS = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


class UnsafeXml(ValueError):
    pass


def parse_xml(xml: bytes) -> etree._Element:
    """The root element; UnsafeXml (Spanish) for a DOCTYPE, an entity declaration or a NUL byte (UTF-16 without
    its mark hides a DOCTYPE from the byte check), and lxml's XMLSyntaxError for broken XML."""
    if b"\x00" in xml:
        raise UnsafeXml(_("La definición no está en UTF-8 (tiene bytes nulos); guárdela como UTF-8."))
    if DECLARATIONS.search(xml):
        raise UnsafeXml(_("La definición declara un DOCTYPE o entidades; una definición BPMN no los necesita."))
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )
    root = etree.fromstring(xml, parser=parser)
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.encoding.upper().replace("-", "") != "UTF8":
        raise UnsafeXml(_("La definición debe ser XML en UTF-8, sin DOCTYPE ni entidades."))
    return root
