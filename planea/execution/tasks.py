"""Background tasks of P6: the comprobantes of an approved month (a national PDF takes seconds: never inside a
request)."""

from __future__ import annotations

from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from planea.documents.kinds import DocumentKind
from planea.documents.models import Origin
from planea.documents.services import store
from planea.jobs.models import Job
from planea.jobs.services import running, set_result, start_job
from planea.operations.models import OperationalPlan
from planea.org.models import Person

from . import comprobantes, four_monthly, report_files
from .models import ApprovedRevision
from .month_case import month_name


@task()
def generate_comprobantes_job(job_id: str, revision_pk: int) -> None:
    """Make the comprobantes of an approved revision that are still missing."""
    with running(job_id) as progress:
        job = Job.objects.select_related("created_by").get(pk=job_id)
        revision = ApprovedRevision.objects.select_related(
            "execution_month__plan", "execution_month__case__org_unit", "registered_by", "authorized_by", "approved_by"
        ).get(pk=revision_pk)
        made = comprobantes.generate(revision, actor=job.created_by, progress=progress)
        numbers = [c.number for c in comprobantes.comprobantes_of(revision)]
        set_result(
            job_id,
            {"comprobantes": numbers, "made": len(made)},
            ngettext(
                "%(n)s comprobante de ejecución listo: %(numbers)s.",
                "%(n)s comprobantes de ejecución listos: %(numbers)s.",
                len(numbers),
            )
            % {"n": len(numbers), "numbers": ", ".join(numbers)}
            if numbers
            else _("No se produjo ningún comprobante."),
        )


def schedule_comprobantes(revision: ApprovedRevision, *, actor: Person) -> Job:
    """Start the job that makes the revision's comprobantes once the approval commits (one at a time)."""
    month = revision.execution_month
    return start_job(
        task=generate_comprobantes_job,
        kind="p6_comprobantes",
        title=_("Comprobantes de ejecución de %(month)s, %(plan)s (revisión %(rev)s)")
        % {"month": month_name(month), "plan": month.plan.code, "rev": revision.revision},
        actor=actor,
        next_url=reverse("execution:month", args=[month.pk]),
        reuse_open=True,
        follows_decision=True,
        revision_pk=revision.pk,
    )


@task()
def four_monthly_pdf_job(job_id: str, plan_id: int, period: int, centers: list[str] | None = None) -> None:
    """The physical execution report of a period in PDF, stored as a document the person opens from the job page
    (a national report with its causes of deviation takes seconds)."""
    with running(job_id) as progress:
        job = Job.objects.select_related("created_by__org_unit").get(pk=job_id)
        plan = OperationalPlan.objects.get(pk=plan_id)
        progress(0, 2, _("Reuniendo las cifras aprobadas…"))
        found = four_monthly.report(plan, period, centers)
        progress(1, 2, _("Generando el informe en %(format)s…") % {"format": "PDF"})
        content = report_files.build_pdf(found, unit=job.created_by.org_unit)
        title = _("Informe de ejecución física · %(plan)s · %(period)s") % {
            "plan": plan.code,
            "period": report_files.period_label(found),
        }
        with transaction.atomic():
            document = store(
                content=content,
                filename=f"{report_files.file_stem(found)}.pdf",
                kind=DocumentKind.INFORME,
                title=title,
                actor=job.created_by,
                origin=Origin.GENERATED,
                details={"plan": plan.code, "period": period, "months": found.months},
            )
            set_result(job_id, {"document": document.pk}, title, document=document)
