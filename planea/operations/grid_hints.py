"""What the goal grid shows beside each cell besides the goal: an app above operations (forecasting, while a P5 case
programs the POA from a forecast run) registers a provider here, as procedures/links.py does for a case's links, so
operations need not know it. A provider answers, for a plan and one of its subproducts, the hint of each
(cost center, month) it has one for, or None when it has nothing to say of that plan."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from planea.strategy.models import Subproduct

from .models import OperationalPlan


@dataclass(frozen=True)
class Hint:
    """A forecast of a cell and its 80 % interval, in the goal's units."""

    yhat: Decimal
    lo: Decimal
    hi: Decimal
    source: str = ""  # what the forecast comes from ("corrida n.º 12"), for the title of the hint
    link: str = ""  # where the work that shows it goes on (the P5 case), for a link back from the grid
    link_label: str = ""

    def whole(self) -> tuple[int, int, int]:
        """The forecast and its bounds in whole units, as the grid shows them."""
        yhat, lo, hi = (int(v.to_integral_value()) for v in (self.yhat, self.lo, self.hi))
        return yhat, lo, hi

    def outside(self, value: int) -> bool:
        """Outside the interval as shown: a goal of 5,508 under a band printed «4,955–5,508» is inside, even when
        the stored bound is 5,507.6."""
        _yhat, lo, hi = self.whole()
        return value < lo or value > hi


type Hints = dict[tuple[int, int], Hint]  # (cost center, month) → hint
Provider = Callable[[OperationalPlan, Subproduct], Hints | None]
PROVIDERS: list[Provider] = []


def register(provider: Provider) -> Provider:
    PROVIDERS.append(provider)
    return provider


def hints_for(plan: OperationalPlan, subproduct: Subproduct) -> Hints | None:
    """The hints of the first provider that has some for the plan (one forecast per cell), or None."""
    for provider in PROVIDERS:
        hints = provider(plan, subproduct)
        if hints is not None:
            return hints
    return None
