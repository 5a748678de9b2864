"""Versioned procedure definitions, cases (expedientes) and their tasks (the steps of the case, with their record).

Invariants: a definition version never changes once stored (running cases depend on it); a case stays on the
version it started with; a task is completed once, by one person, and its record is read-only afterwards.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from planea.documents.kinds import document_label
from planea.documents.models import Document
from planea.org.models import OrgUnit
from planea.org.roles import Role


class Definition(models.Model):
    code = models.CharField(_("código"), max_length=20, db_index=True)
    version = models.PositiveIntegerField(_("versión"))
    name = models.CharField(_("nombre"), max_length=200)
    process_id = models.CharField(_("proceso BPMN"), max_length=100)
    bpmn_xml = models.TextField(_("BPMN 2.0"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    steps = models.JSONField(_("pasos"), default=list)
    header = models.JSONField(_("encabezado"), default=dict)
    due_days = models.JSONField(_("días hábiles por paso"), default=dict, blank=True)
    note = models.CharField(_("motivo de la versión"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cargada por"),
    )
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)

    class Meta:
        verbose_name = _("definición de procedimiento")
        verbose_name_plural = _("definiciones de procedimientos")
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="unique_definition_version")]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    @property
    def key(self) -> str:
        return self.code.rsplit(".", 1)[-1]

    def step(self, number: str) -> dict[str, Any]:
        for step in self.steps:
            if step["number"] == number:
                return step
        raise KeyError(number)

    def step_by_task_id(self, task_id: str) -> dict[str, Any]:
        for step in self.steps:
            if step["task_id"] == task_id:
                return step
        raise KeyError(task_id)

    def working_days(self, number: str) -> int:
        return int(self.due_days.get(number, settings.PLANEA_STEP_WORKING_DAYS))

    def is_return(self, from_number: str, to_number: str) -> bool:
        """Whether going from step `from_number` to `to_number` goes back to an earlier step."""
        order = [step["number"] for step in self.steps]
        return to_number in order and order.index(to_number) < order.index(from_number)

    def is_return_step(self, step: dict[str, Any]) -> bool:
        """A plain step that sends the document back (P2 10.2 → 9, P3 6.2 → 5): it records the observations."""
        return not step["branches"] and len(step["next"]) == 1 and self.is_return(step["number"], step["next"][0])

    def sends_back(self, from_number: str, to_number: str) -> bool:
        """Whether choosing the branch to `to_number` returns the document: it goes back itself, or it leads to a
        step that goes back (P2 10 → 10.2 → 9, P3 6 → 6.2 → 5)."""
        if self.is_return(from_number, to_number):
            return True
        return to_number != "end" and any(self.is_return(to_number, n) for n in self.step(to_number)["next"])

    def return_step(self, from_number: str, to_number: str) -> dict[str, Any] | None:
        """The step a decision's branch leads to when that step only sends the document back, for the same role
        (P1 9 → 9.1 → 4–7, P1 10 → 10.2 → 4–7, P2 10 → 10.2 → 9, P3 6 → 6.2 → 5): the decision takes its
        observations, its return step and its documents in one form and completes it with the decision."""
        if to_number == "end" or self.is_return(from_number, to_number):
            return None
        target = self.step(to_number)
        if target["role"] != self.step(from_number)["role"] or not target["next"]:
            return None
        return target if all(self.is_return(to_number, n) for n in target["next"]) else None

    def return_choices(self, step: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
        """For each branch of a decision that leads to a return step, where the document may go back: the return
        step's branches (value, label and step), or the one step it goes back to."""
        choices: dict[str, list[tuple[str, str]]] = {}
        for branch in step["branches"]:
            back = self.return_step(step["number"], branch["to"])
            if back is None:
                continue
            if back["branches"]:
                choices[branch["value"]] = [
                    (b["value"], _("%(label)s (paso %(step)s)") % {"label": b["label"], "step": b["to"]})
                    for b in back["branches"]
                ]
            else:
                target = back["next"][0]
                choices[branch["value"]] = [
                    ("", _("paso %(step)s: %(name)s") % {"step": target, "name": self.step(target)["name"]})
                ]
        return choices


class CaseStatus(models.TextChoices):
    OPEN = "open", _("En trámite")
    COMPLETED = "completed", _("Concluido")


class Case(models.Model):
    definition = models.ForeignKey(
        Definition, on_delete=models.PROTECT, related_name="cases", verbose_name=_("procedimiento")
    )
    number = models.CharField(_("expediente"), max_length=30, unique=True)
    title = models.CharField(_("título"), max_length=200)
    subject = models.CharField(_("asunto"), max_length=200)
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="cases", verbose_name=_("unidad responsable")
    )
    status = models.CharField(_("estado"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("iniciado por")
    )
    started_at = models.DateTimeField(_("inicio"))
    completed_at = models.DateTimeField(_("conclusión"), null=True, blank=True)
    state = models.JSONField(_("estado del motor"), default=dict)
    revision = models.PositiveIntegerField(_("revisión"), default=0)

    class Meta:
        verbose_name = _("expediente")
        verbose_name_plural = _("expedientes")
        ordering = ["-started_at", "-pk"]
        # a new case's number counts its procedure's cases of the year: from the index alone, not the large rows
        indexes = [models.Index(fields=["definition", "started_at"], name="case_definition_started")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class TaskStatus(models.TextChoices):
    READY = "ready", _("Pendiente")
    COMPLETED = "completed", _("Completado")
    CANCELLED = "cancelled", _("Anulado")


class CaseTask(models.Model):
    """One run of one step of a case: it is the inbox item while ready and the step record once completed."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("expediente"))
    engine_id = models.UUIDField(_("identificador en el motor"), unique=True)
    task_id = models.CharField(_("tarea BPMN"), max_length=100)
    number = models.CharField(_("paso"), max_length=10)
    name = models.CharField(_("actividad"), max_length=300)
    role = models.CharField(_("rol"), max_length=50, choices=Role.choices)
    iteration = models.PositiveSmallIntegerField(_("vez"), default=1)
    status = models.CharField(_("estado"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.READY)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_tasks",
        verbose_name=_("asignado a"),
    )
    created_at = models.DateTimeField(_("llegó"))
    due_date = models.DateField(_("vence"))
    overdue_notified = models.BooleanField(default=False)
    completed_at = models.DateTimeField(_("completado"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="completed_tasks",
        verbose_name=_("completado por"),
    )
    comment = models.TextField(_("comentario"), blank=True)
    decision = models.CharField(_("decisión"), max_length=20, blank=True)
    decision_label = models.CharField(_("resultado de la decisión"), max_length=200, blank=True)
    observations = models.TextField(_("observaciones"), blank=True)
    documents = models.ManyToManyField(
        Document, through="StepDocument", related_name="case_tasks", verbose_name=_("documentos")
    )

    class Meta:
        verbose_name = _("paso del expediente")
        verbose_name_plural = _("pasos del expediente")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "role"], name="task_status_role")]

    def __str__(self) -> str:
        return f"{self.case.number} · {self.number}"

    @property
    def is_ready(self) -> bool:
        return self.status == TaskStatus.READY

    @property
    def step(self) -> dict[str, Any]:
        """The step of the case's definition this task runs."""
        return self.case.definition.step_by_task_id(self.task_id)

    @property
    def branches(self) -> list[dict[str, Any]]:
        """The branches of the step's decision (none for a plain step)."""
        return self.step["branches"]

    @property
    def slots(self) -> list[dict[str, Any]]:
        """The documents of the step, then those of the return steps its decision completes with it (each with
        `when`, the branch that needs it, and `when_label`), once by name."""
        slots = [{**doc, "when": "", "when_label": ""} for doc in self.step["documents"]]
        names = {doc["name"] for doc in slots}
        for branch in self.branches:
            back = self.case.definition.return_step(self.number, branch["to"])
            for doc in back["documents"] if back else []:
                if doc["name"] not in names:
                    names.add(doc["name"])
                    slots.append({**doc, "when": branch["value"], "when_label": branch["label"]})
        return slots

    def required_slots_for(self, decision: str = "") -> list[dict[str, Any]]:
        """The documents the step needs attached before it is completed with `decision`: all but those it only
        consults, those of a return step only when the decision sends the document back through it."""
        return [doc for doc in self.slots if doc["use"] != "reference" and doc["when"] in ("", decision)]

    @property
    def required_slots(self) -> list[dict[str, Any]]:
        """The documents the step needs whatever is decided."""
        return self.required_slots_for()


class StepDocument(models.Model):
    """A document attached to a case task, for one of the documents the step names (its slot)."""

    task = models.ForeignKey(CaseTask, on_delete=models.PROTECT, related_name="attachments")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="attachments")
    slot = models.CharField(_("documento del paso"), max_length=300)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(_("agregado"))

    class Meta:
        verbose_name = _("documento del paso")
        verbose_name_plural = _("documentos del paso")
        ordering = ["added_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["task", "document"], name="unique_document_per_task")]

    def __str__(self) -> str:
        return f"{self.slot} · {self.document}"

    @property
    def slot_label(self) -> str:
        """The document of the step this one is for, as a label (without the manual's trailing period)."""
        return document_label(self.slot)


class StepRequestStatus(models.TextChoices):
    OPEN = "open", _("Pendiente")
    ANSWERED = "answered", _("Respondida")
    WITHDRAWN = "withdrawn", _("Retirada")  # its case concluded before anyone answered it


class StepRequest(models.Model):
    """A request a step of a case sent to another role when it arrived (declared per step in `manual.Ask`): it is
    that role's inbox task until someone holding the role answers it, with a note and optionally a file."""

    task = models.ForeignKey(CaseTask, on_delete=models.PROTECT, related_name="requests", verbose_name=_("paso"))
    key = models.CharField(_("solicitud del paso"), max_length=50)
    role = models.CharField(_("rol al que se pide"), max_length=50, choices=Role.choices)
    asked = models.CharField(_("qué se pide"), max_length=500)
    due_date = models.DateField(_("vence"))
    status = models.CharField(
        _("estado"), max_length=20, choices=StepRequestStatus.choices, default=StepRequestStatus.OPEN
    )
    created_at = models.DateTimeField(_("enviada"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("respondida por"),
    )
    answered_at = models.DateTimeField(_("respondida"), null=True, blank=True)
    answer = models.TextField(_("respuesta"), blank=True)
    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("archivo")
    )

    class Meta:
        verbose_name = _("solicitud de un paso")
        verbose_name_plural = _("solicitudes de los pasos")
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["task", "key"], name="unique_request_per_step_run")]
        indexes = [models.Index(fields=["status", "role"], name="step_request_status_role")]

    def __str__(self) -> str:
        return f"{self.task} · {self.get_role_display()}"

    @property
    def is_open(self) -> bool:
        return self.status == StepRequestStatus.OPEN

    @property
    def is_overdue(self) -> bool:
        """Open past its due date (the request page and the inbox say «vencida»)."""
        return self.is_open and self.due_date < timezone.localdate()

    @property
    def is_answered(self) -> bool:
        return self.status == StepRequestStatus.ANSWERED
