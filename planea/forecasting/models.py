"""Forecast runs (P5 step 2): for a target year, every statistical series (per cost center, and the area and
institution totals computed from them) is backtested, its model chosen, and the twelve months of the target year
forecast with 80 % and 95 % intervals, then reconciled so that cost centers add up to their area and the areas to
the institution. A finished run never changes: the P5 case, its comparison and its oficio rest on its numbers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from planea.jobs.models import Job
from planea.org.models import CostCenter, OrgUnit
from planea.procedures.models import Case
from planea.statistics.models import StatisticalVariable


class RunStatus(models.TextChoices):
    QUEUED = "en_espera", _("En espera")
    RUNNING = "en_proceso", _("En proceso")
    DONE = "terminada", _("Terminada")
    FAILED = "fallida", _("Fallida")


class FinishedRunError(RuntimeError):
    """Raised when code tries to change or remove a finished forecast run or any of its series and months."""

    def __init__(self) -> None:
        super().__init__(_("Una corrida de pronósticos terminada no se modifica ni se elimina."))


class ForecastRunQuerySet(models.QuerySet["ForecastRun"]):
    """Bulk updates and deletions are refused when any of the runs is finished."""

    def _refuse_finished(self) -> None:
        if self.filter(status=RunStatus.DONE).exists():
            raise FinishedRunError

    def update(self, **kwargs: Any) -> int:
        self._refuse_finished()
        return super().update(**kwargs)

    def delete(self) -> Any:
        self._refuse_finished()
        return super().delete()


class ForecastRun(models.Model):
    """One forecast of every series for a target year, from the statistics up to `data_until` (first day of the
    last month used). `input_sha256` digests the series, the excluded periods and the method: the same digest gives
    the same numbers."""

    target_year = models.PositiveSmallIntegerField(
        _("año a pronosticar"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    data_until = models.DateField(_("datos hasta"))
    status = models.CharField(_("estado"), max_length=20, choices=RunStatus.choices, default=RunStatus.QUEUED)
    job = models.ForeignKey(Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("expediente P5")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("solicitado por")
    )
    created_at = models.DateTimeField(_("solicitado"))
    finished_at = models.DateTimeField(_("terminado"), null=True, blank=True)
    method_version = models.CharField(_("versión del método"), max_length=20)
    input_sha256 = models.CharField(_("huella de los datos (SHA-256)"), max_length=64, blank=True)
    series_count = models.PositiveIntegerField(_("series"), default=0)
    summary = models.JSONField(_("resumen"), default=dict, blank=True)

    objects = ForecastRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("corrida de pronósticos")
        verbose_name_plural = _("corridas de pronósticos")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.target_year} · {self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and ForecastRun.objects.filter(pk=self.pk, status=RunStatus.DONE).exists():
            raise FinishedRunError
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if ForecastRun.objects.filter(pk=self.pk, status=RunStatus.DONE).exists():
            raise FinishedRunError
        return super().delete(*args, **kwargs)

    @property
    def is_done(self) -> bool:
        return self.status == RunStatus.DONE


def _refuse_finished_runs(run_ids: Iterable[int | None]) -> None:
    if ForecastRun.objects.filter(pk__in={pk for pk in run_ids if pk is not None}, status=RunStatus.DONE).exists():
        raise FinishedRunError


class SeriesForecastQuerySet(models.QuerySet["SeriesForecast"]):
    """A finished run's series are refused to bulk updates, deletions and additions (bulk_update goes through
    update)."""

    def update(self, **kwargs: Any) -> int:
        if self.filter(run__status=RunStatus.DONE).exists():
            raise FinishedRunError
        return super().update(**kwargs)

    def delete(self) -> Any:
        if self.filter(run__status=RunStatus.DONE).exists():
            raise FinishedRunError
        return super().delete()

    def bulk_create(self, objs: Iterable[SeriesForecast], *args: Any, **kwargs: Any) -> list[SeriesForecast]:
        objs = list(objs)
        _refuse_finished_runs(o.run_id for o in objs)
        return super().bulk_create(objs, *args, **kwargs)


class SeriesLevel(models.TextChoices):
    COST_CENTER = "centro_costo", _("Centro de costo")
    AREA = "area", _("Área")
    INSTITUTION = "institucion", _("Institución")


class SeriesForecast(models.Model):
    """The forecast of one series of a run: which model was chosen and why, its backtest error (MASE, and its ratio
    to SeasonalNaive's on the same windows; none when the series was too short to backtest), and its months."""

    run = models.ForeignKey(ForecastRun, on_delete=models.CASCADE, related_name="series")
    variable = models.ForeignKey(StatisticalVariable, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("nivel"), max_length=20, choices=SeriesLevel.choices)
    cost_center = models.ForeignKey(CostCenter, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    model = models.CharField(_("modelo"), max_length=120)
    note = models.TextField(_("nota del método"), blank=True)
    mase = models.FloatField(_("MASE del backtest"), null=True, blank=True)
    mase_ratio = models.FloatField(_("MASE / MASE de SeasonalNaive"), null=True, blank=True)
    windows = models.PositiveSmallIntegerField(_("ventanas del backtest"), default=0)
    training_start = models.DateField(_("entrena desde"), null=True, blank=True)
    level_shift = models.DateField(_("cambio de nivel detectado"), null=True, blank=True)

    objects = SeriesForecastQuerySet.as_manager()

    class Meta:
        verbose_name = _("pronóstico de una serie")
        verbose_name_plural = _("pronósticos de series")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "variable", "level", "cost_center", "org_unit"], name="one_forecast_per_series"
            ),
        ]
        indexes = [models.Index(fields=["run", "variable"], name="forecast_of_variable")]

    def __str__(self) -> str:
        return f"{self.run} · {self.variable.code} · {self.level}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        _refuse_finished_runs([self.run_id])
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        _refuse_finished_runs([self.run_id])
        return super().delete(*args, **kwargs)


class ForecastValueQuerySet(models.QuerySet["ForecastValue"]):
    """A finished run's months are refused to bulk updates, deletions and additions."""

    def update(self, **kwargs: Any) -> int:
        if self.filter(series__run__status=RunStatus.DONE).exists():
            raise FinishedRunError
        return super().update(**kwargs)

    def delete(self) -> Any:
        if self.filter(series__run__status=RunStatus.DONE).exists():
            raise FinishedRunError
        return super().delete()

    def bulk_create(self, objs: Iterable[ForecastValue], *args: Any, **kwargs: Any) -> list[ForecastValue]:
        objs = list(objs)
        series_ids = {o.series_id for o in objs}
        _refuse_finished_runs(SeriesForecast.objects.filter(pk__in=series_ids).values_list("run_id", flat=True))
        return super().bulk_create(objs, *args, **kwargs)


class ForecastValue(models.Model):
    """One month of the target year: the reconciled forecast and its intervals, and the model's own (base) forecast
    before reconciliation, so that the adjustment can be traced."""

    series = models.ForeignKey(SeriesForecast, on_delete=models.CASCADE, related_name="values")
    month = models.PositiveSmallIntegerField(_("mes"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    base = models.DecimalField(_("pronóstico del modelo"), max_digits=15, decimal_places=2)
    yhat = models.DecimalField(_("pronóstico"), max_digits=15, decimal_places=2)
    lo80 = models.DecimalField(_("mínimo 80 %"), max_digits=15, decimal_places=2)
    hi80 = models.DecimalField(_("máximo 80 %"), max_digits=15, decimal_places=2)
    lo95 = models.DecimalField(_("mínimo 95 %"), max_digits=15, decimal_places=2)
    hi95 = models.DecimalField(_("máximo 95 %"), max_digits=15, decimal_places=2)

    objects = ForecastValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("mes pronosticado")
        verbose_name_plural = _("meses pronosticados")
        ordering = ["series", "month"]
        constraints = [models.UniqueConstraint(fields=["series", "month"], name="one_forecast_value_per_month")]

    def __str__(self) -> str:
        return f"{self.series} · {self.month}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        _refuse_finished_runs(SeriesForecast.objects.filter(pk=self.series_id).values_list("run_id", flat=True))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        _refuse_finished_runs(SeriesForecast.objects.filter(pk=self.series_id).values_list("run_id", flat=True))
        return super().delete(*args, **kwargs)


class Programming(models.Model):
    """The working record of a P5 case (programación de metas físicas): the draft POA it programs, the forecast run
    chosen at step 2, the tolerance beyond which step 3 flags a difference from the POM, and when step 7 wrote the
    adjusted goals into the POA."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="+", verbose_name=_("expediente P5"))
    plan = models.ForeignKey(
        "operations.OperationalPlan", on_delete=models.PROTECT, related_name="+", verbose_name=_("POA que programa")
    )
    run = models.ForeignKey(
        ForecastRun,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmings",
        verbose_name=_("corrida de pronósticos"),
    )
    tolerance = models.DecimalField(
        _("tolerancia (%)"),
        max_digits=5,
        decimal_places=2,
        default=10,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("iniciada"))
    incorporated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    incorporated_at = models.DateTimeField(_("incorporada al POA"), null=True, blank=True)

    class Meta:
        verbose_name = _("programación de metas físicas")
        verbose_name_plural = _("programaciones de metas físicas")

    def __str__(self) -> str:
        return f"{self.case} · {self.plan_id}"
