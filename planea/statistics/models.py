"""Statistics that the Departamento de Estadística delivers (P5 step 1, P6 step 2): a catalog of statistical
variables and their monthly values per cost center, each load a batch (who, when, the file's SHA-256), and every value
loaded again for the same month kept as a revision of the earlier one ("dato revisado")."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from planea.org.models import CostCenter
from planea.strategy.models import Subproduct, UnitOfMeasure


class StatisticalVariable(models.Model):
    """What is counted (persons controlled at land posts, passports issued…), in which unit, which subproduct it
    measures, and whether it is counted per cost center or only for the institution."""

    code = models.CharField(_("código"), max_length=30, unique=True)
    name = models.CharField(_("nombre"), max_length=200)
    unit = models.ForeignKey(UnitOfMeasure, on_delete=models.PROTECT, verbose_name=_("unidad de medida"))
    subproduct = models.ForeignKey(
        Subproduct,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("subproducto que mide"),
    )
    per_cost_center = models.BooleanField(_("por centro de costo"), default=True)

    class Meta:
        verbose_name = _("variable estadística")
        verbose_name_plural = _("variables estadísticas")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class StatisticsBatch(models.Model):
    """One load of statistics: who, when, from which file (name and SHA-256) and how many values it brought."""

    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("cargado por")
    )
    loaded_at = models.DateTimeField(_("cargado"))
    file_name = models.CharField(_("archivo"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    rows = models.PositiveIntegerField(_("filas"))
    revised = models.PositiveIntegerField(_("datos revisados"), default=0)

    class Meta:
        verbose_name = _("carga de estadísticas")
        verbose_name_plural = _("cargas de estadísticas")
        ordering = ["-loaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.loaded_at:%d/%m/%Y %H:%M})"


class StatisticValue(models.Model):
    """The current value of a variable at a cost center (none for an institution-wide variable) in a month; the
    batch that brought it. A value loaded again is a revision: the earlier one is kept in `StatisticRevision`."""

    variable = models.ForeignKey(
        StatisticalVariable, on_delete=models.PROTECT, related_name="values", verbose_name=_("variable")
    )
    cost_center = models.ForeignKey(
        CostCenter, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("centro de costo")
    )
    year = models.PositiveSmallIntegerField(_("año"), validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    month = models.PositiveSmallIntegerField(_("mes"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    value = models.DecimalField(_("valor"), max_digits=15, decimal_places=2)
    batch = models.ForeignKey(StatisticsBatch, on_delete=models.PROTECT, related_name="values", verbose_name=_("carga"))

    class Meta:
        verbose_name = _("dato estadístico")
        verbose_name_plural = _("datos estadísticos")
        constraints = [
            models.UniqueConstraint(
                fields=["variable", "cost_center", "year", "month"], name="one_statistic_per_month_and_center"
            ),
            models.UniqueConstraint(
                fields=["variable", "year", "month"],
                condition=models.Q(cost_center__isnull=True),
                name="one_institution_statistic_per_month",
            ),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="statistic_not_negative"),
        ]
        indexes = [models.Index(fields=["variable", "year", "month"], name="statistic_series")]

    def __str__(self) -> str:
        return f"{self.variable.code} {self.year}-{self.month:02d}"


class StatisticRevision(models.Model):
    """An earlier value of a statistic, replaced by a later load (the "dato revisado" of the series page)."""

    statistic = models.ForeignKey(
        StatisticValue, on_delete=models.PROTECT, related_name="revisions", verbose_name=_("dato")
    )
    value = models.DecimalField(_("valor anterior"), max_digits=15, decimal_places=2)
    batch = models.ForeignKey(
        StatisticsBatch, on_delete=models.PROTECT, related_name="+", verbose_name=_("carga que lo trajo")
    )
    replaced_by = models.ForeignKey(
        StatisticsBatch, on_delete=models.PROTECT, related_name="replacements", verbose_name=_("revisado por la carga")
    )

    class Meta:
        verbose_name = _("revisión de un dato")
        verbose_name_plural = _("revisiones de datos")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.statistic} · {self.value}"


class Treatment(models.TextChoices):
    """How the forecasts treat a span of months that a person marked as atypical."""

    EXCLUDE = "excluir", _("Excluir esos meses: los modelos aprenden del resto de la serie")
    BREAK = "cambio_nivel", _("Cambio de nivel: los modelos aprenden solo de los meses posteriores")


class ExcludedPeriod(models.Model):
    """A span of months marked as atypical (the pandemic, a counting-method change, a post that was closed), with
    its reason and how forecasts treat it. Without a variable it applies to every variable; without a cost center, to
    every center (and to the area and institution totals). Marking and removing are audited."""

    variable = models.ForeignKey(
        StatisticalVariable,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="excluded_periods",
        verbose_name=_("variable"),
    )
    cost_center = models.ForeignKey(
        CostCenter, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("centro de costo")
    )
    first_year = models.PositiveSmallIntegerField(_("año inicial"))
    first_month = models.PositiveSmallIntegerField(
        _("mes inicial"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    last_year = models.PositiveSmallIntegerField(_("año final"))
    last_month = models.PositiveSmallIntegerField(
        _("mes final"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    treatment = models.CharField(_("tratamiento"), max_length=20, choices=Treatment.choices, default=Treatment.EXCLUDE)
    reason = models.TextField(_("motivo"))
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("marcado por")
    )
    marked_at = models.DateTimeField(_("marcado"))

    class Meta:
        verbose_name = _("periodo atípico")
        verbose_name_plural = _("periodos atípicos")
        ordering = ["first_year", "first_month", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(first_year__lt=models.F("last_year"))
                | models.Q(first_year=models.F("last_year"), first_month__lte=models.F("last_month")),
                name="excluded_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_year}-{self.first_month:02d} … {self.last_year}-{self.last_month:02d}"
