"""The demo's mail: printed as a person reads it, with links on the port the demo serves."""

import io

from django.core.mail import EmailMessage

from planea.core.mail import ReadableConsoleBackend
from planea.core.tests.test_settings import manage


def test_a_notice_is_printed_as_text_not_as_quoted_printable():
    stream = io.StringIO()
    message = EmailMessage(
        "[Planea] P6-2026-0001: paso 3 vencido",
        "El paso «Revisión técnica» venció el 12/11/2026.\nÁbralo en http://127.0.0.1:8016/expedientes/1/\n",
        "planea@igm.gob.gt",
        ["jefa@igm.gob.gt", "enlace@igm.gob.gt"],
        cc=["subdireccion@igm.gob.gt"],
    )
    message.attach("oficio.pdf", b"%PDF-1.7", "application/pdf")
    assert ReadableConsoleBackend(stream=stream).send_messages([message]) == 1
    printed = stream.getvalue()
    assert printed.startswith(
        "De: planea@igm.gob.gt\nPara: jefa@igm.gob.gt, enlace@igm.gob.gt\nCc: subdireccion@igm.gob.gt\n"
        "Asunto: [Planea] P6-2026-0001: paso 3 vencido\nAdjunto: oficio.pdf\n\n"
        "El paso «Revisión técnica» venció el 12/11/2026.\nÁbralo en http://127.0.0.1:8016/expedientes/1/\n"
    )
    assert "=C3" not in printed and "Content-Transfer-Encoding" not in printed and "JVBERi" not in printed


def test_outside_production_mail_is_readable_and_links_follow_the_port():
    shown = "from django.conf import settings as s; print(s.MAILERS['default']['BACKEND'], s.PLANEA_BASE_URL)"
    result = manage("shell", "--no-imports", "-c", shown, PLANEA_PORT="8016")
    assert result.stdout.split() == ["planea.core.mail.ReadableConsoleBackend", "http://127.0.0.1:8016"]
    given = manage("shell", "--no-imports", "-c", shown, PLANEA_PORT="8016", PLANEA_BASE_URL="https://planea.igm.local")
    assert given.stdout.split()[1] == "https://planea.igm.local"
