"""The execution of physical goals (P6): what was done each month per POA × subproduct × cost center, beside the
programmed and current goals, with the source of each value and its history; and each month's way through
register → authorize → approve. An approved month is locked: its figures refuse every change by every path
(`save()`, queryset `update()`/`delete()`, `bulk_create`), until the subdirector reopens it with a reason, which gives
the month a new revision and keeps the approved one readable (`ApprovedRevision`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from planea.core.periods import month_column
from planea.documents.models import Document
from planea.operations.models import OperationalPlan
from planea.org.models import CostCenter, OrgUnit
from planea.procedures.models import Case
from planea.strategy.models import Subproduct

MONTHS = range(1, 13)


def executed_column(month: int) -> str:
    """The column of an execution row holding what was executed in `month` (1–12)."""
    return month_column("executed", month)


def source_column(month: int) -> str:
    """The column saying where the value of `month` came from (`Source`)."""
    return month_column("source", month)


EXECUTED_COLUMNS = tuple(executed_column(month) for month in MONTHS)
SOURCE_COLUMNS = tuple(source_column(month) for month in MONTHS)


class LockedMonthError(RuntimeError):
    """An approved month's figures cannot change; reopening it (subdirector, with a reason) comes first."""


class MonthStatus(models.TextChoices):
    OPEN = "abierto", _("Abierto")
    REGISTERED = "registrado", _("Registrado")
    AUTHORIZED = "autorizado", _("Autorizado")
    APPROVED = "aprobado", _("Aprobado")


class Source(models.TextChoices):
    """Where an executed value came from."""

    STATISTICS = "estadistica", _("Estadísticas del mes")
    IMPORT = "importacion", _("Importación de Excel")
    TYPED = "digitado", _("Escrito por una persona")


class RegisteredAndAuthorized(models.Model):
    """Who registered a month (step 4) and who authorized it (step 5), and when."""

    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    registered_at = models.DateTimeField(_("registrado"), null=True, blank=True)
    authorized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    authorized_at = models.DateTimeField(_("autorizado"), null=True, blank=True)

    class Meta:
        abstract = True


class ExecutionMonth(RegisteredAndAuthorized):
    """One month of a POA's execution on its way through P6: open, registered (step 4), authorized (step 5),
    approved (step 6, which locks it). `revision` counts the approvals: a reopened month is approved again as the
    next revision."""

    plan = models.ForeignKey(
        OperationalPlan, on_delete=models.PROTECT, related_name="execution_months", verbose_name=_("POA")
    )
    year = models.PositiveSmallIntegerField(_("año"))
    month = models.PositiveSmallIntegerField(_("mes"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    status = models.CharField(_("estado"), max_length=12, choices=MonthStatus.choices, default=MonthStatus.OPEN)
    revision = models.PositiveIntegerField(_("revisión"), default=1)
    case = models.OneToOneField(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("expediente P6")
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("aprobado"), null=True, blank=True)

    class Meta:
        verbose_name = _("mes de ejecución")
        verbose_name_plural = _("meses de ejecución")
        ordering = ["plan", "year", "month"]
        constraints = [models.UniqueConstraint(fields=["plan", "year", "month"], name="one_execution_month")]

    def __str__(self) -> str:
        return f"{self.plan.code} · {self.month:02d}/{self.year}"

    @property
    def is_approved(self) -> bool:
        return self.status == MonthStatus.APPROVED


def approved_months(plan_ids: Iterable[int]) -> set[tuple[int, int, int]]:
    """(plan, year, month) of the approved months of these plans."""
    return set(
        ExecutionMonth.objects.filter(plan_id__in=set(plan_ids), status=MonthStatus.APPROVED).values_list(
            "plan_id", "year", "month"
        )
    )


def refuse_locked_values(rows: Iterable[ExecutedGoal]) -> None:
    """LockedMonthError when any of `rows` holds a value in an approved month (rows created or deleted)."""
    rows = list(rows)
    locked = approved_months(row.plan_id for row in rows)
    if any((row.plan_id, row.year, m) in locked and row.value(m) is not None for row in rows for m in MONTHS):
        raise LockedMonthError(_("Un mes aprobado no cambia: pida que se reabra."))


class ExecutedGoalQuerySet(models.QuerySet["ExecutedGoal"]):
    """Bulk writes that would touch an approved month are refused (bulk_update goes through update)."""

    def update(self, **kwargs: Any) -> int:
        months = {m for m in MONTHS if executed_column(m) in kwargs or source_column(m) in kwargs}
        if months:
            rows = set(self.values_list("plan_id", "year").distinct())
            locked = approved_months(plan for plan, _year in rows)
            if any((plan, year, m) in locked for plan, year in rows for m in months):
                raise LockedMonthError(_("Un mes aprobado no cambia: pida que se reabra."))
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        refuse_locked_values(self)
        return super().delete()

    def bulk_create(self, objs: Iterable[ExecutedGoal], *args: Any, **kwargs: Any) -> list[ExecutedGoal]:
        objs = list(objs)
        refuse_locked_values(objs)
        return super().bulk_create(objs, *args, **kwargs)


class ExecutedGoal(models.Model):
    """What was executed of one subproduct at one cost center in one year of a POA: a column per month (empty: not
    registered yet) and the source of each value. One row per year, as the goals are stored."""

    plan = models.ForeignKey(OperationalPlan, on_delete=models.PROTECT, related_name="+", db_index=False)
    subproduct = models.ForeignKey(Subproduct, on_delete=models.PROTECT, related_name="+", db_index=False)
    cost_center = models.ForeignKey(CostCenter, on_delete=models.PROTECT, related_name="+", db_index=False)
    year = models.PositiveSmallIntegerField(_("año"))
    for _month in MONTHS:
        locals()[executed_column(_month)] = models.PositiveIntegerField(null=True, blank=True)
        locals()[source_column(_month)] = models.CharField(max_length=12, choices=Source.choices, blank=True)
    del _month

    objects = ExecutedGoalQuerySet.as_manager()

    class Meta:
        verbose_name = _("ejecución de un año")
        verbose_name_plural = _("ejecución de metas físicas")
        constraints = [
            models.UniqueConstraint(fields=["plan", "subproduct", "cost_center", "year"], name="one_executed_year")
        ]

    def __str__(self) -> str:
        return f"{self.plan.code} · {self.subproduct.code} · {self.cost_center.code} · {self.year}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        locked = {m for plan, year, m in approved_months([self.plan_id]) if year == self.year}
        if locked:
            stored = ExecutedGoal.objects.filter(pk=self.pk).first() if self.pk else None
            for month in locked:
                before = (stored.value(month), stored.source(month)) if stored else (None, "")
                if (self.value(month), self.source(month)) != before:
                    raise LockedMonthError(_("Un mes aprobado no cambia: pida que se reabra."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        refuse_locked_values([self])
        return super().delete(*args, **kwargs)

    def value(self, month: int) -> int | None:
        value: int | None = getattr(self, executed_column(month))
        return value

    def source(self, month: int) -> str:
        source: str = getattr(self, source_column(month))
        return source


class ExecutionChange(models.Model):
    """The history of an executed value: each change with its source, who, when, the statistics batch it came from
    (pre-filled from statistics) and the note of a person's correction."""

    row = models.ForeignKey(ExecutedGoal, on_delete=models.PROTECT, related_name="changes")
    month = models.PositiveSmallIntegerField(_("mes"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    before = models.PositiveIntegerField(_("antes"), null=True, blank=True)
    after = models.PositiveIntegerField(_("después"), null=True, blank=True)
    source = models.CharField(_("origen"), max_length=12, choices=Source.choices)
    statistics_batch_id = models.PositiveBigIntegerField(_("carga de estadísticas"), null=True, blank=True)
    note = models.CharField(_("nota"), max_length=500, blank=True)
    revision = models.PositiveIntegerField(_("revisión del mes"), default=1)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(_("cambiado"))

    class Meta:
        verbose_name = _("cambio de la ejecución")
        verbose_name_plural = _("cambios de la ejecución")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.row} · {self.month:02d}: {self.before} → {self.after}"


class DeviationCause(models.Model):
    """The written cause of a line's deviation beyond the tolerance in a month («causa de la desviación»): required
    before the month is authorized, and carried into the reports."""

    execution_month = models.ForeignKey(ExecutionMonth, on_delete=models.PROTECT, related_name="causes")
    subproduct = models.ForeignKey(Subproduct, on_delete=models.PROTECT, related_name="+")
    cost_center = models.ForeignKey(CostCenter, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("causa de la desviación"))
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(_("escrita"))

    class Meta:
        verbose_name = _("causa de desviación")
        verbose_name_plural = _("causas de desviación")
        constraints = [
            models.UniqueConstraint(
                fields=["execution_month", "subproduct", "cost_center"], name="one_cause_per_line_and_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.execution_month} · {self.subproduct.code} · {self.cost_center.code}"


class FixedRecordError(RuntimeError):
    """An approved revision or a reopening is a record of what happened: it is never changed or removed."""


class FixedQuerySet[M: models.Model](models.QuerySet[M]):
    def update(self, **kwargs: Any) -> int:
        raise FixedRecordError(_("Lo que fijó una aprobación no se modifica."))

    def delete(self) -> tuple[int, dict[str, int]]:
        raise FixedRecordError(_("Lo que fijó una aprobación no se elimina."))


class FixedRecord(models.Model):
    """A record written once: `save()` of a stored one, `delete()`, queryset `update()`/`delete()` are refused."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and type(self)._default_manager.filter(pk=self.pk).exists():
            raise FixedRecordError(_("Lo que fijó una aprobación no se modifica."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise FixedRecordError(_("Lo que fijó una aprobación no se elimina."))


class ApprovedRevision(RegisteredAndAuthorized, FixedRecord):
    """What a month's approval fixed: the figures of every line (programmed, current, executed, cause), their
    SHA-256, who registered, authorized and approved it and when. Never changed; a reopened month keeps its earlier
    revisions readable here."""

    execution_month = models.ForeignKey(ExecutionMonth, on_delete=models.PROTECT, related_name="revisions")
    revision = models.PositiveIntegerField(_("revisión"))
    figures = models.JSONField(_("cifras aprobadas"))
    sha256 = models.CharField(_("SHA-256 de las cifras"), max_length=64)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(_("aprobado"))

    objects = FixedQuerySet["ApprovedRevision"].as_manager()

    class Meta:
        verbose_name = _("revisión aprobada de un mes")
        verbose_name_plural = _("revisiones aprobadas")
        ordering = ["execution_month", "revision"]
        constraints = [
            models.UniqueConstraint(fields=["execution_month", "revision"], name="one_approved_revision"),
        ]

    def __str__(self) -> str:
        return f"{self.execution_month} · rev. {self.revision}"


class MonthReopening(FixedRecord):
    """An approved month reopened by the subdirector, with the reason: the revision it reopened stays as approved,
    and the month goes back to open as the next revision."""

    execution_month = models.ForeignKey(ExecutionMonth, on_delete=models.PROTECT, related_name="reopenings")
    revision = models.PositiveIntegerField(_("revisión reabierta"))
    reason = models.TextField(_("motivo"))
    reopened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reopened_at = models.DateTimeField(_("reabierto"))

    objects = FixedQuerySet["MonthReopening"].as_manager()

    class Meta:
        verbose_name = _("reapertura de un mes")
        verbose_name_plural = _("reaperturas de meses")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.execution_month} · rev. {self.revision}"


class Comprobante(FixedRecord):
    """A «comprobante de ejecución» of an approved revision (P6 step 8): the PDF of its figures, consolidated or of one
    area (the organizational unit of the cost centers it lists), with its printed number, by which anyone in the
    institution finds it on the verification page."""

    revision = models.ForeignKey(ApprovedRevision, on_delete=models.PROTECT, related_name="comprobantes")
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("área")
    )  # None: the consolidated comprobante
    number = models.CharField(_("número"), max_length=40, unique=True)
    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="+")

    objects = FixedQuerySet["Comprobante"].as_manager()

    class Meta:
        verbose_name = _("comprobante de ejecución")
        verbose_name_plural = _("comprobantes de ejecución")
        ordering = ["revision", "number"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "org_unit"], name="one_comprobante_per_area"),
            models.UniqueConstraint(
                fields=["revision"], condition=models.Q(org_unit__isnull=True), name="one_consolidated_comprobante"
            ),
        ]

    def __str__(self) -> str:
        return self.number
