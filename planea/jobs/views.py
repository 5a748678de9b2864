from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from planea.documents.responses import document_response
from planea.org.roles import Role

from .models import Job


def visible_job(request: HttpRequest, pk: str) -> Job:
    job = get_object_or_404(Job, pk=pk)
    if job.created_by_id != request.user.pk and not request.user.has_any_role([Role.ADMINISTRADOR]):
        raise Http404
    return job


def job_list(request: HttpRequest) -> HttpResponse:
    """The person's own background jobs, the newest first: where to find an import's result again."""
    jobs = Job.objects.filter(created_by=request.user).order_by("-created_at")[:50]
    return render(request, "jobs/list.html", {"jobs": jobs})


def detail(request: HttpRequest, pk: str) -> HttpResponse:
    return render(request, "jobs/detail.html", {"job": visible_job(request, pk)})


def progress(request: HttpRequest, pk: str) -> HttpResponse:
    """The progress component alone; HTMX polls it every second until the job finishes."""
    return render(request, "jobs/_progress.html", {"job": visible_job(request, pk)})


def download(request: HttpRequest, pk: str) -> HttpResponse:
    """The document the job produced."""
    job = visible_job(request, pk)
    if job.document is None:
        raise Http404
    return document_response(request, job.document)
