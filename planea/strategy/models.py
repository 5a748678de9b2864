"""The strategic plan (PEI) in versions: its frames, the results chain with indicators and yearly targets, and the
products and subproducts the institution delivers.

Invariants: a version's horizon spans at least five years; codes are unique within a version; an approved version
never changes (saving, deleting or bulk-updating any of its rows raises `ApprovedPlanError`), a modification is a
new version copied from it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from planea.org.models import CostCenter, OrgUnit
from planea.procedures import lifecycle

MIN_PEI_YEARS = 5
# ASCII only: "\d" would also take fullwidth or Arabic-Indic digits, and with them look-alike duplicate codes.
BUDGET_CODE = RegexValidator(r"^[0-9]{1,3}$", _("Escriba de uno a tres dígitos."))
CODE = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._-]{0,29}$",
    _("Use letras sin tilde, dígitos, punto, guion o guion bajo, sin espacios (por ejemplo RI-01)."),
)


class ApprovedPlanError(ValidationError):
    """An approved plan version was about to change. Start a new version (or a reprogramming) instead."""

    def __init__(self, plan: Any = None) -> None:
        label = str(plan) if plan is not None else gettext("el plan")
        super().__init__(
            gettext("%(plan)s está aprobado y no se modifica; cree una nueva versión para cambiarlo.")
            % {"plan": label},
            code="approved",
        )


class PlanStatus(models.TextChoices):
    """The statuses of procedures/lifecycle.py that a plan goes through, named as the manual's steps do (a plan is
    never reopened)."""

    DRAFT = lifecycle.DRAFT, _("Borrador")
    REVIEW = lifecycle.REVIEW, _("En revisión")
    ENDORSED = lifecycle.ENDORSED, _("Con visto bueno")
    PRESENTED = lifecycle.PRESENTED, _("Presentado a la Dirección General")
    APPROVED = lifecycle.APPROVED, _("Aprobado")


class UnitOfMeasure(models.Model):
    name = models.CharField(_("nombre"), max_length=60, unique=True)
    description = models.CharField(_("descripción"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("unidad de medida")
        verbose_name_plural = _("unidades de medida")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StrategicPlan(models.Model):
    code = models.CharField(
        _("código"),
        max_length=30,
        validators=[CODE],
        help_text=_("Identifica el plan en todas sus versiones, por ejemplo PEI-2021-2030."),
    )
    version = models.PositiveIntegerField(_("versión"), default=1)
    name = models.CharField(_("nombre"), max_length=200)
    start_year = models.PositiveIntegerField(_("año inicial"), validators=[MinValueValidator(2000)])
    end_year = models.PositiveIntegerField(_("año final"), validators=[MinValueValidator(2000)])
    status = models.CharField(_("estado"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    mission = models.TextField(_("misión"), blank=True)
    vision = models.TextField(_("visión"), blank=True)
    principles = models.TextField(_("principios y valores"), blank=True, help_text=_("Uno por línea."))
    situation_analysis = models.TextField(_("análisis de la situación institucional"), blank=True)
    conceptual_frame = models.TextField(_("marco conceptual"), blank=True)
    strategic_frame = models.TextField(_("marco estratégico"), blank=True)
    logical_frame = models.TextField(_("marco lógico institucional"), blank=True)
    change_reason = models.CharField(_("motivo de la versión"), max_length=500, blank=True)
    based_on = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revisions",
        verbose_name=_("versión de origen"),
    )
    case = models.ForeignKey(
        "procedures.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="strategic_plans",
        verbose_name=_("expediente P1"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    approved_at = models.DateTimeField(_("aprobado"), null=True, blank=True)

    RICH_TEXT_FIELDS: ClassVar[tuple[str, ...]] = (
        "situation_analysis",
        "conceptual_frame",
        "strategic_frame",
        "logical_frame",
    )

    class Meta:
        verbose_name = _("plan estratégico institucional")
        verbose_name_plural = _("planes estratégicos institucionales")
        ordering = ["-start_year", "code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="unique_pei_version")]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            stored = StrategicPlan.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == PlanStatus.APPROVED:
                raise ApprovedPlanError(self)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        self.require_editable()
        return super().delete(*args, **kwargs)

    @property
    def label(self) -> str:
        """The version as people name it on screen: «PEI 2021-2030, versión 2»."""
        return gettext("%(name)s, versión %(version)s") % {"name": self.name, "version": self.version}

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))

    @property
    def is_approved(self) -> bool:
        return self.status == PlanStatus.APPROVED

    @property
    def is_editable(self) -> bool:
        return self.status == PlanStatus.DRAFT

    def clean(self) -> None:
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError(
                {
                    "end_year": _("El año final (%(b)s) es anterior al inicial (%(a)s).")
                    % {"a": self.start_year, "b": self.end_year}
                }
            )
        if self.start_year and self.end_year and self.end_year - self.start_year + 1 < MIN_PEI_YEARS:
            raise ValidationError(
                {
                    "end_year": _("El PEI abarca al menos %(n)s años; el horizonte %(a)s–%(b)s tiene %(m)s.")
                    % {
                        "n": MIN_PEI_YEARS,
                        "a": self.start_year,
                        "b": self.end_year,
                        "m": self.end_year - self.start_year + 1,
                    }
                }
            )

    def require_editable(self) -> None:
        if self.status == PlanStatus.APPROVED:
            raise ApprovedPlanError(self)


class PlanContentQuerySet(models.QuerySet[Any]):
    """Bulk updates and deletions are refused when any row belongs to an approved version."""

    def _refuse_approved(self) -> None:
        if self.filter(plan__status=PlanStatus.APPROVED).exists():
            raise ApprovedPlanError()

    def update(self, **kwargs: Any) -> int:
        self._refuse_approved()
        return super().update(**kwargs)

    def delete(self) -> Any:
        self._refuse_approved()
        return super().delete()


class PlanContent(models.Model):
    """A row that belongs to one PEI version and is frozen with it."""

    plan = models.ForeignKey(StrategicPlan, on_delete=models.CASCADE, related_name="+", verbose_name=_("PEI"))

    objects = PlanContentQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.derive_plan()
        StrategicPlan.objects.get(pk=self.plan_id).require_editable()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        StrategicPlan.objects.get(pk=self.plan_id).require_editable()
        return super().delete(*args, **kwargs)

    def derive_plan(self) -> None:
        """Rows below another row take the version of their parent."""


class ResultLevel(models.TextChoices):
    STRATEGIC = "strategic", _("Resultado estratégico")
    INSTITUTIONAL = "institutional", _("Resultado institucional")
    INTERMEDIATE = "intermediate", _("Resultado intermedio")
    IMMEDIATE = "immediate", _("Resultado inmediato")


LEVEL_ORDER = [ResultLevel.STRATEGIC, ResultLevel.INSTITUTIONAL, ResultLevel.INTERMEDIATE, ResultLevel.IMMEDIATE]


class Result(PlanContent):
    plan = models.ForeignKey(StrategicPlan, on_delete=models.CASCADE, related_name="results", verbose_name=_("PEI"))
    code = models.CharField(_("código"), max_length=20, validators=[CODE])
    level = models.CharField(_("nivel"), max_length=20, choices=ResultLevel.choices)
    name = models.CharField(_("enunciado"), max_length=500)
    description = models.TextField(_("descripción"), blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("contribuye a"),
    )

    class Meta:
        verbose_name = _("resultado")
        verbose_name_plural = _("resultados")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="unique_result_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        parent = self.parent if self.parent_id is not None else None
        if parent is None:
            return
        if parent.plan_id != self.plan_id:
            raise ValidationError({"parent": _("El resultado superior debe ser de la misma versión del PEI.")})
        if self.level not in ResultLevel.values:
            return  # the level's own field error says what is wrong
        if LEVEL_ORDER.index(ResultLevel(parent.level)) >= LEVEL_ORDER.index(ResultLevel(self.level)):
            raise ValidationError(
                {
                    "parent": _("Un %(level)s contribuye a un resultado de nivel superior, no a un %(parent)s.")
                    % {"level": self.get_level_display().lower(), "parent": parent.get_level_display().lower()}
                }
            )


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Mensual")
    FOUR_MONTHLY = "four_monthly", _("Cuatrimestral")
    HALF_YEARLY = "half_yearly", _("Semestral")
    YEARLY = "yearly", _("Anual")


class Indicator(PlanContent):
    plan = models.ForeignKey(StrategicPlan, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("PEI"))
    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("resultado"))
    code = models.CharField(_("código"), max_length=20, validators=[CODE])
    name = models.CharField(_("nombre"), max_length=300)
    formula = models.CharField(_("fórmula de cálculo"), max_length=500)
    unit = models.CharField(_("unidad"), max_length=60, help_text=_("Por ejemplo: porcentaje, personas, días."))
    baseline_year = models.PositiveIntegerField(_("año de la línea base"), validators=[MinValueValidator(1990)])
    baseline_value = models.DecimalField(_("valor de la línea base"), max_digits=16, decimal_places=2)
    source = models.CharField(_("fuente de verificación"), max_length=300)
    frequency = models.CharField(_("frecuencia de medición"), max_length=20, choices=Frequency.choices)
    responsible_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unidad responsable")
    )

    class Meta:
        verbose_name = _("indicador")
        verbose_name_plural = _("indicadores")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="unique_indicator_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def derive_plan(self) -> None:
        self.plan_id = self.result.plan_id


class IndicatorTarget(PlanContent):
    plan = models.ForeignKey(StrategicPlan, on_delete=models.CASCADE, related_name="targets", verbose_name=_("PEI"))
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveIntegerField(_("año"))
    value = models.DecimalField(_("meta"), max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = _("meta anual del indicador")
        verbose_name_plural = _("metas anuales del indicador")
        ordering = ["indicator", "year"]
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="unique_indicator_year")]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year}: {self.value}"

    def derive_plan(self) -> None:
        self.plan_id = self.indicator.plan_id

    def clean(self) -> None:
        plan = self.indicator.plan
        if self.year not in plan.years:
            raise ValidationError(
                {
                    "year": _("El año %(year)s está fuera del horizonte del PEI (%(a)s–%(b)s).")
                    % {"year": self.year, "a": plan.start_year, "b": plan.end_year}
                }
            )


class Product(PlanContent):
    plan = models.ForeignKey(StrategicPlan, on_delete=models.CASCADE, related_name="products", verbose_name=_("PEI"))
    result = models.ForeignKey(
        Result, on_delete=models.PROTECT, related_name="products", verbose_name=_("resultado al que contribuye")
    )
    code = models.CharField(_("código"), max_length=20, validators=[CODE])
    name = models.CharField(_("nombre"), max_length=300)
    unit = models.ForeignKey(
        UnitOfMeasure, on_delete=models.PROTECT, related_name="+", verbose_name=_("unidad de medida")
    )
    program = models.CharField(_("programa"), max_length=3, validators=[BUDGET_CODE])
    subprogram = models.CharField(_("subprograma"), max_length=3, blank=True, validators=[BUDGET_CODE])
    activity = models.CharField(_("actividad"), max_length=3, validators=[BUDGET_CODE])
    responsible_units = models.ManyToManyField(
        OrgUnit, related_name="+", verbose_name=_("unidades responsables"), blank=True
    )

    class Meta:
        verbose_name = _("producto")
        verbose_name_plural = _("productos")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="unique_product_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def budget_structure(self) -> str:
        return "-".join(part or "00" for part in (self.program, self.subprogram, self.activity))

    def clean(self) -> None:
        if self.result_id and self.plan_id and self.result.plan_id != self.plan_id:
            raise ValidationError({"result": _("El resultado debe ser de la misma versión del PEI.")})


class Subproduct(PlanContent):
    plan = models.ForeignKey(StrategicPlan, on_delete=models.CASCADE, related_name="subproducts", verbose_name=_("PEI"))
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="subproducts", verbose_name=_("producto")
    )
    code = models.CharField(_("código"), max_length=20, validators=[CODE])
    name = models.CharField(_("nombre"), max_length=300)
    unit = models.ForeignKey(
        UnitOfMeasure, on_delete=models.PROTECT, related_name="+", verbose_name=_("unidad de medida")
    )
    responsible_units = models.ManyToManyField(
        OrgUnit, related_name="+", verbose_name=_("unidades responsables"), blank=True
    )
    cost_centers = models.ManyToManyField(
        CostCenter, related_name="subproducts", verbose_name=_("centros de costo que lo entregan"), blank=True
    )

    class Meta:
        verbose_name = _("subproducto")
        verbose_name_plural = _("subproductos")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="unique_subproduct_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def derive_plan(self) -> None:
        self.plan_id = self.product.plan_id


@receiver(m2m_changed, sender=Product.responsible_units.through)
@receiver(m2m_changed, sender=Subproduct.responsible_units.through)
@receiver(m2m_changed, sender=Subproduct.cost_centers.through)
def refuse_links_on_approved(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    if action.startswith("pre_") and isinstance(instance, PlanContent):
        StrategicPlan.objects.get(pk=instance.plan_id).require_editable()
