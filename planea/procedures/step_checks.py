"""What an app shows on a pending step before it is completed (the consistency of a POA at its visto bueno): apps
that hold a case's data register a provider here, as for links.py, so procedures need not know them. A check is a
template of the app, included in the step's panel with its context as `check`. An app that must refuse the step
until something is done (an acknowledgement) refuses it from its `step_completed` receiver (signals.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .models import CaseTask


@dataclass(frozen=True)
class StepCheck:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


Provider = Callable[[CaseTask, Any], StepCheck | None]
PROVIDERS: list[Provider] = []


def register(provider: Provider) -> Provider:
    PROVIDERS.append(provider)
    return provider


def checks_for(task: CaseTask, user: Any) -> list[StepCheck]:
    return [check for provider in PROVIDERS if (check := provider(task, user)) is not None]
