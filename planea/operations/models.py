"""Operational plans: the multi-year plan (POM, yearly goals) and the annual plan (POA, monthly goals) per
subproduct × cost center, the input catalog and matrix, budget ceilings, and reprogramming of an approved POA.

Invariants: a goal is stored once per plan, subproduct, cost center and period (month for a POA, year for a POM);
cuatrimestre and year totals are always computed, never stored. "Programada" (planned) is frozen when the plan is
approved; afterwards only an approved reprogramming changes "vigente" (current), line by line with before/after.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from planea.org.models import CostCenter, OrgUnit
from planea.strategy.models import PlanStatus, Product, StrategicPlan, Subproduct

BUDGET_LINE = RegexValidator(r"^[0-9]{3}$", _("El renglón presupuestario tiene tres dígitos, por ejemplo 122."))
ITEM_CODE = RegexValidator(r"^[0-9A-Za-z.\-]{1,20}$", _("Use letras, dígitos, punto o guion (hasta 20)."))
WHOLE_YEAR = 0  # the month of a POM goal and of an input needed for the whole year


class PlanKind(models.TextChoices):
    MULTIANNUAL = "multiannual", _("Plan Operativo Multianual (POM)")
    ANNUAL = "annual", _("Plan Operativo Anual (POA)")


class OperationalPlan(models.Model):
    kind = models.CharField(_("tipo"), max_length=20, choices=PlanKind.choices)
    code = models.CharField(_("código"), max_length=30, unique=True)
    name = models.CharField(_("nombre"), max_length=200)
    start_year = models.PositiveIntegerField(_("año inicial"), validators=[MinValueValidator(2000)])
    end_year = models.PositiveIntegerField(_("año final"), validators=[MinValueValidator(2000)])
    strategic_plan = models.ForeignKey(
        StrategicPlan, on_delete=models.PROTECT, related_name="operational_plans", verbose_name=_("PEI")
    )
    multiannual = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="annual_plans",
        verbose_name=_("POM de referencia"),
    )
    status = models.CharField(_("estado"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    case = models.ForeignKey(
        "procedures.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="operational_plans",
        verbose_name=_("expediente P2"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    approved_at = models.DateTimeField(_("aprobado"), null=True, blank=True)

    class Meta:
        verbose_name = _("plan operativo")
        verbose_name_plural = _("planes operativos")
        ordering = ["-start_year", "kind"]

    def __str__(self) -> str:
        return self.code

    @property
    def is_annual(self) -> bool:
        return self.kind == PlanKind.ANNUAL

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))

    @property
    def is_editable(self) -> bool:
        return self.status == PlanStatus.DRAFT

    @property
    def is_approved(self) -> bool:
        return self.status == PlanStatus.APPROVED

    def periods(self) -> list[tuple[int, int]]:
        """(year, month) of each goal column: the twelve months of a POA, the years of a POM (month 0)."""
        if self.is_annual:
            return [(self.start_year, m) for m in range(1, 13)]
        return [(y, WHOLE_YEAR) for y in self.years]

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.start_year and self.end_year:
            if self.end_year < self.start_year:
                errors["end_year"] = _("El año final no puede ser anterior al inicial.")
            elif self.kind == PlanKind.ANNUAL and self.end_year != self.start_year:
                errors["end_year"] = _("El POA abarca un solo año.")
        if self.strategic_plan_id and self.start_year:
            pei = self.strategic_plan
            if not pei.is_approved:
                errors["strategic_plan"] = _("El plan operativo se formula sobre una versión aprobada del PEI.")
            elif self.start_year < pei.start_year or (self.end_year or self.start_year) > pei.end_year:
                errors["start_year"] = _(
                    "Los años del plan deben estar dentro del horizonte del PEI (%(a)s–%(b)s)."
                ) % {"a": pei.start_year, "b": pei.end_year}
        pom = self.multiannual if self.multiannual_id else None
        if pom is not None:
            if pom.kind != PlanKind.MULTIANNUAL or self.start_year not in pom.years:
                errors["multiannual"] = _("El POM de referencia debe incluir el año del POA.")
            elif self.strategic_plan_id and pom.strategic_plan_id != self.strategic_plan_id:
                errors["multiannual"] = _("El POM de referencia debe formularse sobre la misma versión del PEI.")
        if errors:
            raise ValidationError(errors)


MONTHS = range(0, 13)  # 0: the whole year (a POM's goal); 1–12: the months of a POA


def goal_column(attr: str, month: int) -> str:
    """The column of a goal row holding `attr` ("planned" or "current") for `month` (0 for the whole year)."""
    if attr not in ("planned", "current") or month not in MONTHS:
        raise ValueError(f"{attr} {month}")
    return f"{attr}_{month}"


class PhysicalGoal(models.Model):
    """The goals of one subproduct at one cost center for one year of a plan: a POA's twelve months, or a POM's
    whole year (month 0), programmed (planned) and current. One row per year rather than one per month: the plan's
    totals read 6,000 rows at national scale instead of 72,000, and an import rewrites 6,000.

    Who changed the row last is kept here; who changed each cell, in the audit events of each save."""

    plan = models.ForeignKey(OperationalPlan, on_delete=models.CASCADE, related_name="goals", db_index=False)
    subproduct = models.ForeignKey(Subproduct, on_delete=models.PROTECT, related_name="goals", db_index=False)
    cost_center = models.ForeignKey(CostCenter, on_delete=models.PROTECT, related_name="goals", db_index=False)
    year = models.PositiveIntegerField(_("año"))
    for _month in MONTHS:
        locals()[goal_column("planned", _month)] = models.PositiveIntegerField(default=0)
        locals()[goal_column("current", _month)] = models.PositiveIntegerField(default=0)
    del _month
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    updated_at = models.DateTimeField(_("modificada"), null=True, blank=True)

    class Meta:
        verbose_name = _("metas físicas de un año")
        verbose_name_plural = _("metas físicas")
        ordering = ["subproduct__code", "cost_center__code", "year"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "subproduct", "cost_center", "year"], name="unique_goal_year"),
        ]
        indexes = [
            models.Index(fields=["plan", "cost_center"], name="goal_year_by_center"),
        ]
        # No index holds a month's goal: a change of goals then leaves every index as it is, and PostgreSQL
        # rewrites the row in its own page (a "HOT" update, with the room migration 0007 leaves in each page).
        # A covering index of the current goals made a full import four times slower, and its index-only reads
        # of the plan's totals read the rows anyway once goals had changed. The totals by subproduct read the
        # rows of the plan through unique_goal_year.

    def __str__(self) -> str:
        return f"{self.plan.code} · {self.subproduct.code} · {self.cost_center.code} · {self.year}"

    def value(self, attr: str, month: int) -> int:
        return int(getattr(self, goal_column(attr, month)))


class GoalTotal(models.Model):
    """The sums of a plan's goals per subproduct and year, month by month, kept by the database itself: triggers on
    the goals table (migration 0008) add in every row inserted, changed or deleted, in the statement that does it,
    whatever wrote it. The plan's summary reads these hundred rows instead of adding up 6,000 rows of goals on
    every view. Never written by Planea's code; a total goes when the last of its rows of goals goes."""

    plan = models.ForeignKey(
        OperationalPlan, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    subproduct = models.ForeignKey(
        Subproduct, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    year = models.PositiveIntegerField(_("año"))
    goals = models.BigIntegerField(_("filas de metas sumadas"))
    for _month in MONTHS:
        locals()[goal_column("planned", _month)] = models.BigIntegerField(default=0)
        locals()[goal_column("current", _month)] = models.BigIntegerField(default=0)
    del _month

    class Meta:
        verbose_name = _("total de metas de un subproducto")
        verbose_name_plural = _("totales de metas")
        constraints = [
            models.UniqueConstraint(fields=["plan", "subproduct", "year"], name="unique_goal_total"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} · {self.subproduct_id} · {self.year}"


class InputCatalogItem(models.Model):
    code = models.CharField(_("código"), max_length=20, unique=True, validators=[ITEM_CODE])
    name = models.CharField(_("nombre"), max_length=300)
    budget_line = models.CharField(_("renglón presupuestario"), max_length=3, validators=[BUDGET_LINE])
    unit = models.CharField(_("unidad de medida"), max_length=60)
    unit_price = models.DecimalField(
        _("precio unitario (Q)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    monthly = models.BooleanField(
        _("se programa por mes"), default=False, help_text=_("Consumibles que se piden mes a mes.")
    )
    active = models.BooleanField(_("vigente"), default=True)

    class Meta:
        verbose_name = _("insumo del catálogo")
        verbose_name_plural = _("catálogo de insumos")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class InputRequirement(models.Model):
    """A line of the matriz de insumos: what an area needs of one item for one subproduct (by month or for the year),
    priced at the catalog price of the moment it was entered."""

    plan = models.ForeignKey(OperationalPlan, on_delete=models.CASCADE, related_name="inputs")
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("área"))
    subproduct = models.ForeignKey(Subproduct, on_delete=models.PROTECT, related_name="inputs")
    item = models.ForeignKey(InputCatalogItem, on_delete=models.PROTECT, related_name="requirements")
    month = models.PositiveSmallIntegerField(_("mes"), default=WHOLE_YEAR)
    quantity = models.DecimalField(
        _("cantidad"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    unit_price = models.DecimalField(_("precio unitario (Q)"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("insumo de la matriz")
        verbose_name_plural = _("matriz de insumos")
        ordering = ["org_unit__code", "subproduct__code", "item__code", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "org_unit", "subproduct", "item", "month"], name="unique_input_line"
            ),
            models.CheckConstraint(condition=models.Q(month__lte=12), name="input_month_range"),
        ]

    def __str__(self) -> str:
        return f"{self.plan.code} · {self.org_unit.code} · {self.subproduct.code} · {self.item.code}"

    @property
    def amount(self) -> Decimal:
        return self.quantity * self.unit_price


class BudgetCeiling(models.Model):
    """Techo presupuestario set by the Subdirección Financiera for a product, or one of its subproducts."""

    plan = models.ForeignKey(OperationalPlan, on_delete=models.CASCADE, related_name="ceilings")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+", verbose_name=_("producto"))
    subproduct = models.ForeignKey(
        Subproduct,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("subproducto"),
    )
    amount = models.DecimalField(
        _("techo (Q)"), max_digits=16, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(_("registrado"))

    class Meta:
        verbose_name = _("techo presupuestario")
        verbose_name_plural = _("techos presupuestarios")
        ordering = ["product__code", "subproduct__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "product"], condition=models.Q(subproduct=None), name="unique_product_ceiling"
            ),
            models.UniqueConstraint(fields=["plan", "subproduct"], name="unique_subproduct_ceiling"),
        ]

    def __str__(self) -> str:
        return f"{self.plan.code} · {(self.subproduct or self.product).code}"


class ReprogrammingStatus(models.TextChoices):
    REQUESTED = "requested", _("Solicitada")
    APPROVED = "approved", _("Aprobada")
    REJECTED = "rejected", _("Rechazada")


class Reprogramming(models.Model):
    plan = models.ForeignKey(OperationalPlan, on_delete=models.PROTECT, related_name="reprogrammings")
    number = models.PositiveIntegerField(_("número"))
    justification = models.TextField(_("justificación"))
    status = models.CharField(
        _("estado"), max_length=20, choices=ReprogrammingStatus.choices, default=ReprogrammingStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("solicitada por")
    )
    requested_at = models.DateTimeField(_("solicitada"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resuelta por"),
    )
    decided_at = models.DateTimeField(_("resuelta"), null=True, blank=True)
    decision_note = models.TextField(_("observaciones de la resolución"), blank=True)
    past_justification = models.TextField(
        _("justificación de los meses transcurridos"),
        blank=True,
        help_text=_("Por qué se cambian metas de meses ya transcurridos (PLANEA_REPROGRAMMING_PAST_MONTHS=justify)."),
    )

    class Meta:
        verbose_name = _("reprogramación")
        verbose_name_plural = _("reprogramaciones")
        ordering = ["plan", "-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="unique_reprogramming_number")]

    def __str__(self) -> str:
        return f"{self.plan.code} · R-{self.number:03d}"


class ReprogrammingLine(models.Model):
    """One cell a reprogramming changes: the goal row and the month (0 for the whole year), current before and
    after."""

    reprogramming = models.ForeignKey(Reprogramming, on_delete=models.PROTECT, related_name="lines")
    goal = models.ForeignKey(PhysicalGoal, on_delete=models.PROTECT, related_name="reprogramming_lines")
    month = models.PositiveSmallIntegerField(_("mes"))
    before = models.PositiveIntegerField(_("vigente antes"))
    after = models.PositiveIntegerField(_("vigente después"))

    class Meta:
        verbose_name = _("línea de reprogramación")
        verbose_name_plural = _("líneas de reprogramación")
        ordering = ["goal__subproduct__code", "goal__cost_center__code", "goal__year", "month"]
        constraints = [
            models.UniqueConstraint(fields=["reprogramming", "goal", "month"], name="unique_reprogramming_cell"),
            models.CheckConstraint(condition=models.Q(month__lte=12), name="reprogramming_month_range"),
        ]

    def __str__(self) -> str:
        return f"{self.reprogramming} · {self.cell}: {self.before} → {self.after}"

    @property
    def cell(self) -> str:
        """«POA-2026 · P02-02 · 0209 · 2026-01» (a POM cell: the year alone)."""
        period = f"{self.goal.year}-{self.month:02d}" if self.month else str(self.goal.year)
        return f"{self.goal.plan.code} · {self.goal.subproduct.code} · {self.goal.cost_center.code} · {period}"

    @property
    def difference(self) -> int:
        return self.after - self.before


class ConsistencyAcknowledgement(models.Model):
    """The explicit acknowledgement that a plan goes on to its visto bueno although its goals, inputs and ceilings
    do not add up (operations/consistency.py): who, when, at which step, and the figures they saw. Never changed."""

    plan = models.ForeignKey(OperationalPlan, on_delete=models.PROTECT, related_name="acknowledgements")
    task = models.ForeignKey("procedures.CaseTask", on_delete=models.PROTECT, related_name="+")
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reconocida por")
    )
    acknowledged_at = models.DateTimeField(_("reconocida"))
    figures = models.JSONField(_("cifras reconocidas"))
    note = models.TextField(_("motivo"))

    class Meta:
        verbose_name = _("reconocimiento de inconsistencias")
        verbose_name_plural = _("reconocimientos de inconsistencias")
        ordering = ["-acknowledged_at"]

    def __str__(self) -> str:
        return f"{self.plan.code} · {self.acknowledged_at:%Y-%m-%d %H:%M}"
