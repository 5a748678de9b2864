from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from planea.documents.responses import document_response
from planea.org.access import SignedInRequest
from planea.org.roles import Role

from .models import Job, JobStatus
from .services import fail_abandoned


def visible_job(request: SignedInRequest, pk: str) -> Job:
    job = get_object_or_404(Job, pk=pk)
    if job.status == JobStatus.RUNNING and fail_abandoned(Job.objects.filter(pk=job.pk)):  # polled every second
        job.refresh_from_db()
    if job.created_by_id != request.user.pk and not request.user.has_any_role([Role.ADMINISTRADOR]):
        raise Http404
    return job


def job_list(request: SignedInRequest) -> HttpResponse:
    """The person's own background jobs, the newest first: where to find an import's result again."""
    fail_abandoned(Job.objects.filter(created_by=request.user))
    jobs = Job.objects.filter(created_by=request.user).order_by("-created_at")[:50]
    return render(request, "jobs/list.html", {"jobs": jobs})


def detail(request: SignedInRequest, pk: str) -> HttpResponse:
    return render(request, "jobs/detail.html", {"job": visible_job(request, pk)})


def progress(request: SignedInRequest, pk: str) -> HttpResponse:
    """The progress component alone; HTMX polls it every second until the job finishes."""
    return render(request, "jobs/_progress.html", {"job": visible_job(request, pk)})


def download(request: SignedInRequest, pk: str) -> FileResponse:
    """The document the job produced."""
    job = visible_job(request, pk)
    if job.document is None:
        raise Http404
    return document_response(request, job.document)
