"""The mail of the demo and of development, written to the console as a person reads it."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.console import EmailBackend


class ReadableConsoleBackend(EmailBackend):
    """Each message as its sender, recipients, subject and body in plain text, with the names of its attachments:
    Django's console backend prints the MIME source, where «vencido» and every accent arrive quoted-printable."""

    def write_message(self, message: EmailMessage) -> None:
        def people(label: str, addresses: Sequence[str]) -> list[str]:
            return [f"{label}: {', '.join(addresses)}"] if addresses else []

        lines = [
            f"De: {message.from_email}",
            *people("Para", message.to),
            *people("Cc", message.cc),
            f"Asunto: {message.subject}",
            *(f"Adjunto: {name}" for name in _attachment_names(message)),
            "",
            message.body.rstrip("\n"),
        ]
        self.stream.write("\n".join(lines) + "\n" + "-" * 79 + "\n")


def _attachment_names(message: EmailMessage) -> list[str]:
    names = []
    for attachment in message.attachments:
        name = getattr(attachment, "filename", None)
        if name is None and hasattr(attachment, "get_filename"):
            name = attachment.get_filename()
        names.append(str(name or "(sin nombre)"))
    return names
