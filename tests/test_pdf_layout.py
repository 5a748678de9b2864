"""The fits-the-page check (tests/pdf_layout.py) finds what a printed official document must not have: text past the
paper's printable edge, text drawn over text, and a page number wrapped, in another font or run into the footer."""

import pytest
from weasyprint import HTML

from tests.pdf_layout import assert_fits_page

PAGE = """<style>
@page {{ size: letter; margin: 2cm; @bottom-center {{ content: element(footer); width: 100%; }} {page} }}
html {{ font-family: "DejaVu Sans"; }} body {{ font-size: 10pt; }}
.footer {{ position: running(footer); display: flex; justify-content: space-between; font-size: 7.5pt; }}
.n::after {{ content: "Página " counter(page) " de " counter(pages); white-space: nowrap; }}
</style><footer class="footer"><span>6a. avenida 3-11, zona 4 · igm.gob.gt</span><span class="n"></span></footer>
{body}"""
FINE = "<p>Texto.</p><p style='page-break-before: always'>Otra página.</p>"


def pdf(body: str = FINE, page: str = "") -> bytes:
    return HTML(string=PAGE.format(body=body, page=page)).write_pdf()


def test_a_document_that_fits_passes_and_is_read_back():
    pages = assert_fits_page(pdf())
    assert [p.number for p in pages] == [1, 2] and "Otra página." in pages[1].text
    assert "Página 2 de 2" in pages[1].text


def test_a_table_wider_than_the_page_is_cut_at_the_right_edge():
    row = "".join(f"<td style='white-space: nowrap'>{n:,}</td>" for n in range(1_000_000, 1_000_020))
    with pytest.raises(AssertionError, match="sale por el borde derecho"):
        assert_fits_page(pdf(f"<table><tr>{row}</tr></table>"))


def test_text_drawn_over_text_is_a_collision():
    body = "<p style='position: absolute; top: 0'>Monto total</p><p style='position: absolute; top: 1pt'>Techo</p>"
    with pytest.raises(AssertionError, match="se encima con"):
        assert_fits_page(pdf(body))


def test_a_page_number_in_another_font_is_refused():
    html = PAGE.replace(".n::after {{ content", '.n::after {{ font-family: "DejaVu Serif"; content')
    with pytest.raises(AssertionError, match="el número de página va en"):
        assert_fits_page(HTML(string=html.format(body=FINE, page="")).write_pdf())


def test_a_wrapped_page_number_is_not_on_one_line():
    narrow = "@bottom-right { content: 'Página ' counter(page) ' de ' counter(pages); width: 1cm; }"
    html = PAGE.replace('<span class="n"></span>', "").format(body=FINE, page=narrow)
    with pytest.raises(AssertionError, match="en una sola línea"):
        assert_fits_page(HTML(string=html).write_pdf())


def test_a_page_number_glued_to_the_address_collides():
    html = PAGE.replace("justify-content: space-between", "justify-content: flex-start").format(body=FINE, page="")
    with pytest.raises(AssertionError, match="choca con"):
        assert_fits_page(HTML(string=html).write_pdf())
