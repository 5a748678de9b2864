"""The documents of a step: a file uploaded, an oficio issued from the person's unit or a document Planea produced,
each attached to one of the documents the step names (its slot)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from planea.audit.services import batch, record
from planea.documents.kinds import OFICIO_KINDS
from planea.documents.models import Document, Origin
from planea.documents.services import OficioContent, issue_oficio, store, store_upload
from planea.org.models import Person

from . import task_rows
from .errors import ProcedureError
from .models import CaseTask, StepDocument
from .work import require_workable, role_unit


def _check_slot(task: CaseTask, slot: str) -> dict[str, Any]:
    for doc in task.slots:
        if doc["name"] == slot:
            return doc
    raise ProcedureError(
        _("El paso %(number)s no pide el documento «%(slot)s».") % {"number": task.number, "slot": slot[:100]}
    )


def _workable_slot(task: CaseTask, slot: str, actor: Person) -> tuple[CaseTask, dict[str, Any]]:
    """The task, locked, ready and workable by `actor`, and the document of the step named `slot`."""
    task = task_rows.locked_task(task.pk)
    require_workable(task, actor)
    return task, _check_slot(task, slot)


def _attach(task: CaseTask, document: Document, slot: str, actor: Person) -> StepDocument:
    link = StepDocument(task=task, document=document, slot=slot, added_by=actor, added_at=timezone.now())
    task_rows.add_link(link)
    record(
        actor=actor,
        action="task_document_attached",
        instance=task,
        after={"document": document.pk, "slot": slot, "sha256": document.sha256},
        summary=_("%(slot)s agregado al paso %(number)s de %(case)s")
        % {"slot": slot, "number": task.number, "case": task.case.number},
    )
    return link


@transaction.atomic
@batch()
def attach_upload(task: CaseTask, *, slot: str, upload: UploadedFile[bytes], actor: Person) -> Document:
    """Attach a file the caller has checked with `core.uploads.check_upload`."""
    task, doc = _workable_slot(task, slot, actor)
    document = store_upload(upload, kind=doc["kind"], title=f"{slot} · {task.case.number}", actor=actor)
    _attach(task, document, slot, actor)
    return document


@transaction.atomic
@batch()
def attach_oficio(task: CaseTask, *, slot: str, content: OficioContent, actor: Person) -> Document:
    """Issue an oficio from the person's unit (numbered, rendered to PDF) and attach it to the step."""
    task, doc = _workable_slot(task, slot, actor)
    if doc["kind"] not in OFICIO_KINDS or doc["use"] != "produce":
        raise ProcedureError(_("«%(slot)s» no es un oficio que emita este paso; cárguelo.") % {"slot": slot})
    unit = role_unit(actor, task.role)
    content = OficioContent(**{**content.__dict__, "reference": content.reference or task.case.number})
    document = issue_oficio(content=content, unit=unit, actor=actor, kind=doc["kind"], title=content.subject)
    _attach(task, document, slot, actor)
    return document


@transaction.atomic
@batch()
def attach_generated(
    task: CaseTask, *, slot: str, files: list[tuple[bytes, str, str]], actor: Person, kind: str = ""
) -> list[Document]:
    """Attach the documents Planea produced from its data (an anteproyecto in PDF and Excel, a report) to the
    step's slot, as (content, file name, title) each, of the slot's kind of document or `kind` (an annex that goes
    with the oficio of the slot). They replace what an earlier generation attached to this run of the step (made
    again after a correction, or asked twice): the slot holds one generation; an oficio issued in the slot
    (numbered) stays. The documents replaced stay stored; the replacement is audited. Call inside a
    transaction."""
    task, doc = _workable_slot(task, slot, actor)
    if doc["use"] != "produce":
        raise ProcedureError(_("«%(slot)s» no es un documento que produzca este paso.") % {"slot": slot})
    earlier = StepDocument.objects.filter(task=task, slot=slot, document__origin=Origin.GENERATED, document__number="")
    replaced = sorted(earlier.values_list("document_id", flat=True))
    if replaced:
        earlier.delete()
        record(
            actor=actor,
            action="task_documents_replaced",
            instance=task,
            before={"documents": replaced, "slot": slot},
            summary=_("%(slot)s del paso %(number)s de %(case)s generado de nuevo")
            % {"slot": slot, "number": task.number, "case": task.case.number},
        )
    documents = []
    for content, filename, title in files:
        document = store(
            content=content,
            filename=filename,
            kind=kind or doc["kind"],
            title=title,
            actor=actor,
            origin=Origin.GENERATED,
        )
        _attach(task, document, slot, actor)
        documents.append(document)
    return documents


def attach_existing(task: CaseTask, *, slot: str, documents: list[Document], actor: Person) -> None:
    """Attach documents already stored (the comprobantes an approval produced) to a step's slot, as what goes with
    it; those already attached there are left as they are. Call inside the transaction that moves the case on."""
    _check_slot(task, slot)
    attached = set(StepDocument.objects.filter(task=task, slot=slot).values_list("document_id", flat=True))
    for document in documents:
        if document.pk not in attached:
            _attach(task, document, slot, actor)
