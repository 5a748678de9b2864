"""Statistics that the Departamento de Estadística delivers (P5 step 1, P6 step 2): a catalog of statistical
variables and their monthly values per cost center, each load a batch (who, when, the file's SHA-256), and every value
loaded again for the same month kept as a revision of the earlier one ("dato revisado")."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from planea.core.periods import month_column
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


MONTHS = range(1, 13)


def value_column(month: int) -> str:
    """The column of a year of statistics holding the value of `month` (1–12)."""
    return month_column("value", month)


def batch_column(month: int) -> str:
    """The column naming the batch that brought the value of `month`."""
    return month_column("batch", month)


VALUE_COLUMNS = tuple(value_column(month) for month in MONTHS)
BATCH_COLUMNS = tuple(batch_column(month) for month in MONTHS)


class StatisticYear(models.Model):
    """The values of a variable at a cost center (none for an institution-wide variable) in one year: one column per
    month (empty: not loaded), the batch that brought each value, and the last month with a value. One row per year
    rather than one per month, as the template has them: a national load writes 8,400 rows instead of 100,800, and a
    forecast run reads a twelfth of the rows. A value loaded again is a revision: the earlier one is kept in
    `StatisticRevision`."""

    # The variable and the cost center are checked by triggers (migration 0003) instead of foreign keys, which
    # PostgreSQL checks row by row: half of a national load's time in the database. They refuse what a foreign key
    # refuses. No index of their own: the series of a center or an area are read through the unique constraint,
    # which leads with the variable; an index kept for the rare deletion of a cost center would slow every load.
    variable = models.ForeignKey(
        StatisticalVariable,
        on_delete=models.PROTECT,
        related_name="years",
        db_constraint=False,
        db_index=False,
        verbose_name=_("variable"),
    )
    cost_center = models.ForeignKey(
        CostCenter,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        db_index=False,
        verbose_name=_("centro de costo"),
    )
    year = models.PositiveSmallIntegerField(_("año"), validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    for _month in MONTHS:
        locals()[value_column(_month)] = models.DecimalField(max_digits=15, decimal_places=2, null=True, blank=True)
        # Batches are never deleted; a constraint and an index on each of twelve columns would only slow every load.
        locals()[batch_column(_month)] = models.ForeignKey(
            StatisticsBatch,
            on_delete=models.PROTECT,
            null=True,
            blank=True,
            related_name="+",
            db_constraint=False,
            db_index=False,
        )
    del _month
    last_month = models.PositiveSmallIntegerField(
        _("último mes con dato"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )

    class Meta:
        verbose_name = _("datos estadísticos de un año")
        verbose_name_plural = _("datos estadísticos")
        constraints = [
            # Leads with the variable: a series is read through it.
            models.UniqueConstraint(fields=["variable", "cost_center", "year"], name="one_statistic_year_per_center"),
            models.UniqueConstraint(
                fields=["variable", "year"],
                condition=models.Q(cost_center__isnull=True),
                name="one_institution_statistic_year",
            ),
            models.CheckConstraint(
                condition=models.Q(*(models.Q(**{f"{column}__gte": 0}) for column in VALUE_COLUMNS)),
                name="statistics_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.variable.code} {self.year}"

    def value(self, month: int) -> Decimal | None:
        value: Decimal | None = getattr(self, value_column(month))
        return value

    def batch_id_of(self, month: int) -> int | None:
        batch_id: int | None = getattr(self, f"{batch_column(month)}_id")
        return batch_id

    def months(self) -> dict[int, Decimal]:
        """Month → value, for the months with a value."""
        return {month: value for month in MONTHS if (value := self.value(month)) is not None}


class StatisticRevision(models.Model):
    """An earlier value of a statistic, replaced by a later load (the "dato revisado" of the series page)."""

    statistic = models.ForeignKey(
        StatisticYear, on_delete=models.PROTECT, related_name="revisions", verbose_name=_("datos del año")
    )
    month = models.PositiveSmallIntegerField(_("mes"), validators=[MinValueValidator(1), MaxValueValidator(12)])
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
        return f"{self.statistic} · {self.month:02d} · {self.value}"


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
