"""Official documents: uploaded supporting files and oficios issued by Planea. A document never changes once
stored: its bytes are fixed by their SHA-256 and the model refuses updates and deletions."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from planea.org.models import OrgUnit

from .kinds import DocumentKind


class ImmutableDocumentError(RuntimeError):
    """Raised when code tries to change or remove a stored document."""


class DocumentQuerySet(models.QuerySet["Document"]):
    def update(self, **kwargs: Any) -> int:
        raise ImmutableDocumentError("Los documentos no se modifican una vez guardados.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableDocumentError("Los documentos no se eliminan.")


class Origin(models.TextChoices):
    UPLOADED = "uploaded", _("Cargado")
    GENERATED = "generated", _("Emitido por Planea")


def document_path(instance: Document, filename: str) -> str:
    return f"documentos/{instance.created_at:%Y/%m}/{instance.sha256[:16]}-{filename}"


class Document(models.Model):
    kind = models.CharField(_("tipo"), max_length=40, choices=DocumentKind.choices)
    title = models.CharField(_("título"), max_length=300)
    number = models.CharField(_("número"), max_length=40, blank=True, db_index=True)
    issuing_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issued_documents",
        verbose_name=_("unidad emisora"),
    )
    origin = models.CharField(_("origen"), max_length=20, choices=Origin.choices)
    file = models.FileField(_("archivo"), upload_to=document_path, max_length=300)
    original_name = models.CharField(_("nombre del archivo"), max_length=255)
    content_type = models.CharField(_("tipo de contenido"), max_length=100)
    size = models.PositiveBigIntegerField(_("tamaño (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    details = models.JSONField(_("datos del documento"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="documents", verbose_name=_("registrado por")
    )
    created_at = models.DateTimeField(_("fecha de registro"))

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("documento")
        verbose_name_plural = _("documentos")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["number"], condition=~models.Q(number=""), name="unique_document_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableDocumentError("Los documentos no se modifican una vez guardados.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableDocumentError("Los documentos no se eliminan.")


class Correlative(models.Model):
    """The last number issued by an org unit in a year; locked while the next number is taken."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="correlatives")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("correlativo")
        verbose_name_plural = _("correlativos")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="unique_correlative_per_unit_year")]

    def __str__(self) -> str:
        return f"{self.unit.code} {self.year}: {self.last_number}"
