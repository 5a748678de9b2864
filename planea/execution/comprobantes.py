"""P6 step 8, «imprime comprobantes de ejecución»: the comprobantes of an approved revision of a month, one
consolidated and one per area (the organizational unit of the cost centers it lists). Each is a numbered PDF of the
figures the approval fixed — per subproduct and cost center: programmed, current, executed, %, deviation and its
cause —, who registered, authorized and approved the month and when, and the SHA-256 of those figures; its number
opens the verification page (verification.py). A national comprobante takes seconds: it is made by a background
job (tasks.py) started by the approval, never inside a request.

Numbers are fixed by what they prove: CE-<POA>-<month>-R<revision>-<nn>, 00 the consolidated and 01… the areas in
the order of their codes; a job run again finds the numbers it already made and makes only the missing ones."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from planea.documents.kinds import DocumentKind
from planea.documents.models import Origin
from planea.documents.services import store
from planea.org.models import CostCenter, Institution, OrgUnit, Person
from planea.spreadsheets.imports import Progress, no_progress
from planea.strategy.models import Subproduct

from .analysis import LineFigures
from .models import ApprovedRevision, Comprobante, ExecutionMonth, MonthStatus
from .month_case import month_name

CONSOLIDATED = 0  # the sequence number of the consolidated comprobante


@dataclass
class Row:
    center: str  # code and name of the cost center
    figures: LineFigures
    cause: str


@dataclass
class Block:
    """A subproduct's lines in a comprobante, with their totals."""

    code: str
    name: str
    unit: str
    rows: list[Row] = field(default_factory=list)

    @property
    def total(self) -> LineFigures:
        return LineFigures(
            0,
            0,
            sum(r.figures.planned for r in self.rows),
            sum(r.figures.current for r in self.rows),
            sum(r.figures.executed or 0 for r in self.rows),
        )


def number_of(revision: ApprovedRevision, sequence: int) -> str:
    """The printed number of a comprobante: CE-POA-2026-09-R1-00 (00 consolidated, 01… the areas)."""
    month = revision.execution_month
    code = month.plan.code if len(month.plan.code) <= 18 else str(month.plan.pk)
    return f"CE-{code}-{month.month:02d}-R{revision.revision}-{sequence:02d}"


def _centers(codes: Iterable[str]) -> dict[str, CostCenter]:
    return {c.code: c for c in CostCenter.objects.filter(code__in=set(codes)).select_related("org_unit")}


def areas_of(revision: ApprovedRevision) -> list[OrgUnit]:
    """The areas whose cost centers the approved figures list, in the order of their codes."""
    centers = _centers(str(row["cost_center"]) for row in revision.figures)
    return sorted({c.org_unit for c in centers.values()}, key=lambda unit: unit.code)


def blocks(revision: ApprovedRevision, area: OrgUnit | None) -> list[Block]:
    """The approved figures of `area` (all of them when None), per subproduct in the order of their codes."""
    centers = _centers(str(row["cost_center"]) for row in revision.figures)
    plan = revision.execution_month.plan
    subproducts = {s.code: s for s in Subproduct.objects.filter(plan_id=plan.strategic_plan_id).select_related("unit")}
    found: dict[str, Block] = {}
    for row in revision.figures:
        center = centers.get(str(row["cost_center"]))
        if area is not None and (center is None or center.org_unit_id != area.pk):
            continue
        code = str(row["subproduct"])
        subproduct = subproducts.get(code)
        block = found.get(code)
        if block is None:
            block = found[code] = Block(
                code, subproduct.name if subproduct else "", subproduct.unit.name if subproduct else ""
            )
        executed = row["executed"]
        block.rows.append(
            Row(
                f"{row['cost_center']} {center.name if center else ''}".strip(),
                LineFigures(
                    0,
                    0,
                    int(str(row["planned"] or 0)),
                    int(str(row["current"] or 0)),
                    None if executed is None else int(str(executed)),
                ),
                str(row.get("cause") or ""),
            )
        )
    return [found[code] for code in sorted(found)]


def verification_url(number: str) -> str:
    return f"{settings.PLANEA_BASE_URL}{reverse('execution:verify')}?numero={number}"


def build_pdf(revision: ApprovedRevision, area: OrgUnit | None, number: str) -> bytes:
    from weasyprint import HTML  # slow to import; only when a PDF is made

    month = revision.execution_month
    shown = blocks(revision, area)
    context: dict[str, Any] = {
        "institution": Institution.current(),
        "unit": month.case.org_unit if month.case else (area or OrgUnit.objects.order_by("code").first()),
        "number": number,
        "revision": revision,
        "month": month,
        "month_name": month_name(month),
        "area": area,
        "blocks": shown,
        "total_lines": sum(len(b.rows) for b in shown),
        "verification_url": verification_url(number),
        "generated": timezone.localtime(),
    }
    with translation.override("es"):
        html = render_to_string("execution/comprobante.html", context)
    return HTML(string=html).write_pdf()


def standing_revision(month: ExecutionMonth) -> ApprovedRevision | None:
    """The approval the month stands on (None while it is not approved)."""
    if month.status != MonthStatus.APPROVED:
        return None
    return month.revisions.filter(revision=month.revision).first()


def comprobantes_of(revision: ApprovedRevision | None) -> list[Comprobante]:
    if revision is None:
        return []
    return list(revision.comprobantes.select_related("document", "org_unit").order_by("number"))


def expected(revision: ApprovedRevision) -> list[tuple[int, OrgUnit | None]]:
    """(sequence, area) of every comprobante the revision has: the consolidated and one per area."""
    return [(CONSOLIDATED, None), *((index, area) for index, area in enumerate(areas_of(revision), start=1))]


def complete(revision: ApprovedRevision) -> bool:
    """Whether every comprobante of the revision has been made."""
    return revision.comprobantes.count() == len(expected(revision))


def generate(revision: ApprovedRevision, *, actor: Person, progress: Progress | None = None) -> list[Comprobante]:
    """Make the revision's missing comprobantes, each stored in its own transaction with its number (outside any
    transaction: a national one takes seconds)."""
    report = progress or no_progress
    wanted = expected(revision)
    made: list[Comprobante] = []
    existing = {c.number for c in comprobantes_of(revision)}
    title = _("Comprobante de ejecución de %(month)s, %(plan)s") % {
        "month": month_name(revision.execution_month),
        "plan": revision.execution_month.plan.code,
    }
    for done, (sequence, area) in enumerate(wanted):
        number = number_of(revision, sequence)
        report(done, len(wanted), _("Comprobante %(number)s…") % {"number": number})
        if number in existing:
            continue
        content = build_pdf(revision, area, number)
        scope = area.name if area else _("consolidado")
        with transaction.atomic():
            document = store(
                content=content,
                filename=f"{number}.pdf",
                kind=DocumentKind.COMPROBANTE,
                title=f"{title} ({scope})",
                actor=actor,
                origin=Origin.GENERATED,
                number=number,
                details={"revision": revision.pk, "figures_sha256": revision.sha256},
            )
            made.append(Comprobante.objects.create(revision=revision, org_unit=area, number=number, document=document))
    report(len(wanted), len(wanted), "")
    return made
