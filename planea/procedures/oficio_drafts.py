"""What an app proposes for an oficio a step issues (the notification of P6 step 9 lists the comprobantes that go
with it): apps that hold a case's data register a provider here, as for links.py; the step's oficio form starts
from the draft, and the person changes what they want before issuing it."""

from __future__ import annotations

from collections.abc import Callable

from .models import CaseTask

Provider = Callable[[CaseTask, str], dict[str, str] | None]  # the step, the slot → initial fields of the oficio form
PROVIDERS: list[Provider] = []


def register(provider: Provider) -> Provider:
    PROVIDERS.append(provider)
    return provider


def draft_for(task: CaseTask, slot: str) -> dict[str, str]:
    draft: dict[str, str] = {}
    for provider in PROVIDERS:
        draft |= provider(task, slot) or {}
    return draft
