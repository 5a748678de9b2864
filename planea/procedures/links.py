"""What a case works on, shown on the case page: apps that hold a case's data (the PEI version of a P1 case, the
POA of a P2 case) register a provider here, so procedures need not know them. A link may carry one action that the
person can take on the current step (for example, generating the anteproyectos at P2 step 9)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .models import Case


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    status: str = ""
    action_label: str = ""
    action_url: str = ""


Provider = Callable[[Case, Any], list[Link]]
PROVIDERS: list[Provider] = []


def register(provider: Provider) -> Provider:
    PROVIDERS.append(provider)
    return provider


def links_for(case: Case, user: Any) -> list[Link]:
    return [link for provider in PROVIDERS for link in provider(case, user)]
