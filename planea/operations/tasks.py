"""Background tasks of the plan data: large goal and input-matrix files, imported by the task worker, and the
anteproyectos of a national-scale plan, whose PDF takes minutes."""

from __future__ import annotations

from django.db import transaction
from django.tasks import task
from django.utils.translation import gettext as _

from planea.documents.kinds import DocumentKind
from planea.documents.models import Origin
from planea.documents.services import store
from planea.jobs.imports import run_import
from planea.jobs.models import Job
from planea.jobs.services import running, set_result
from planea.procedures.step_jobs import produce_step_documents

from . import anteproyecto, case_link
from .models import OperationalPlan
from .plan_files import import_plan_file


@task()
def import_plan_file_job(job_id: str, what: str, plan_id: int, scope: list[int] | None) -> None:
    run_import(
        job_id,
        lambda data, actor, filename, progress: import_plan_file(
            what,
            data,
            actor,
            OperationalPlan.objects.get(pk=plan_id),
            set(scope) if scope is not None else None,
            filename,
            progress,
        ),
    )


@task()
def generate_anteproyectos_job(job_id: str, task_pk: int) -> None:
    """Step 9 of the P2: build both anteproyectos and attach them to the step."""
    produce_step_documents(
        job_id,
        task_pk,
        lambda step, actor, progress: case_link.generate_anteproyectos(step, actor=actor, progress=progress),
        _("Anteproyectos generados y agregados al paso: %(docs)s."),
    )


@task()
def anteproyecto_preview_job(job_id: str, plan_id: int) -> None:
    """The anteproyecto PDF of a plan as it stands, stored as a document the person opens from the job page."""
    with running(job_id) as progress:
        job = Job.objects.select_related("created_by").get(pk=job_id)
        plan = OperationalPlan.objects.get(pk=plan_id)
        progress(0, 1, _("Generando el anteproyecto en %(format)s…") % {"format": "PDF"})
        content = anteproyecto.build_pdf(plan)
        with transaction.atomic():
            document = store(
                content=content,
                filename=f"anteproyecto-{plan.code}.pdf",
                kind=DocumentKind.INFORME,
                title=_("Vista previa del anteproyecto de %(plan)s") % {"plan": plan.code},
                actor=job.created_by,
                origin=Origin.GENERATED,
            )
            set_result(job_id, {"document": document.pk}, document.title, document=document)
