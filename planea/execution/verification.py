"""Checking an approved month against what its approval fixed (the comprobante's verification): the stored figures
still hash to the SHA-256 recorded at the approval, and — while that revision is the one standing — the figures in
the database are still those figures, line by line. A figure changed by any path that went around the locks (a
database edit, a restored copy) is named: of the whole month for the consolidated comprobante, of the area's own
cost centers for an area's."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from planea.org.models import CostCenter

from .models import ApprovedRevision
from .months import digest, figures_of

type LineKey = tuple[str, str]  # subproduct code, cost center code


@dataclass
class Verification:
    revision: ApprovedRevision
    intact: bool  # the stored figures hash to the recorded SHA-256
    standing: bool  # this revision is the month's current approval (not reopened since)
    changed: list[LineKey] = field(default_factory=list)  # lines whose figures differ from the database now

    @property
    def ok(self) -> bool:
        return self.intact and not self.changed


def _by_line(figures: list[dict[str, Any]]) -> dict[LineKey, dict[str, Any]]:
    return {(str(row["subproduct"]), str(row["cost_center"])): row for row in figures}


def verify(revision: ApprovedRevision, area_id: int | None = None) -> Verification:
    """Whether the approved revision is unchanged, and which lines differ now in the database (only those of the
    cost centers of the area `area_id`, when given: an area's comprobante neither names another area's lines nor
    fails for them)."""
    month = revision.execution_month
    result = Verification(
        revision=revision,
        intact=digest(revision.figures) == revision.sha256,
        standing=month.is_approved and month.revision == revision.revision,
    )
    if result.standing:
        fixed, now = _by_line(revision.figures), _by_line(figures_of(month))
        keys = fixed.keys() | now.keys()
        if area_id is not None:
            own = set(CostCenter.objects.filter(org_unit_id=area_id).values_list("code", flat=True))
            keys = {key for key in keys if key[1] in own}
        result.changed = sorted(key for key in keys if fixed.get(key) != now.get(key))
    return result
