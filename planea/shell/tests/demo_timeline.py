"""The demo's cases look like real use: spread over past weeks, each step due after it arrived, most done on time
and some late, and only the case meant to be overdue has overdue steps. Checked on the demo that
test_seed_demo.py builds (one build of the whole demo for both)."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from planea.audit.verify import verify_chain
from planea.procedures.deadlines import notify_overdue, timeliness
from planea.procedures.models import Case, CaseTask, StepRequest, TaskStatus


def check_the_demo_cases_are_spread_over_past_weeks_as_real_work_would_be() -> None:
    today = timezone.localdate()
    tasks = list(CaseTask.objects.select_related("case__definition").order_by("case", "pk"))
    assert len({t.case_id for t in tasks}) >= 8

    for task in tasks:
        arrived = timezone.localtime(task.created_at)
        assert arrived.date() <= task.due_date, f"{task.case.number} paso {task.number} llegó ya vencido"
        assert arrived.date() <= today and 8 <= arrived.hour < 17
        if task.completed_at:
            assert task.completed_at >= task.created_at and timezone.localdate(task.completed_at) <= today
    for case in Case.objects.prefetch_related("tasks"):
        steps = sorted(case.tasks.all(), key=lambda t: t.pk)
        assert case.started_at <= steps[0].created_at
        assert all(a.created_at <= b.created_at for a, b in zip(steps, steps[1:], strict=False))  # in their order
        if case.completed_at:
            assert case.completed_at == max(t.completed_at for t in steps if t.completed_at)

    from planea.operations.models import OperationalPlan
    from planea.strategy.models import StrategicPlan

    for model in (OperationalPlan, StrategicPlan):  # approved when their case did it, not when the demo was made
        for plan in model.objects.filter(approved_at__isnull=False, case__isnull=False).select_related("case"):
            assert plan.approved_at == plan.case.completed_at, plan

    check_the_execution_tells_the_dates_of_its_cases()

    requests = list(StepRequest.objects.select_related("task__case"))
    assert requests  # P6 step 1 asked Estadística
    for sent in requests:  # sent when its step arrived; open only while its case is
        assert sent.created_at == sent.task.created_at and timezone.localdate(sent.created_at) <= sent.due_date
        assert sent.status != "open" or sent.task.case.status == "open", sent.task.case.number

    arrivals = [timezone.localdate(t.created_at) for t in tasks]
    assert max(arrivals) - min(arrivals) >= timedelta(weeks=8)  # months of work, not one moment
    done = [timeliness(t, today) for t in tasks if t.status == TaskStatus.COMPLETED]
    on_time = done.count("on_time") / len(done)
    assert 0.6 <= on_time <= 0.95 and "late" in done  # most steps on time, some late
    overdue = {t.case.title for t in tasks if t.status == TaskStatus.READY and timeliness(t, today) == "overdue"}
    assert overdue == {"Ejecución de metas físicas de octubre de 2026, POA-2026"}

    mail.outbox.clear()
    assert notify_overdue() == CaseTask.objects.filter(case__title__in=overdue, status=TaskStatus.READY).count()
    assert verify_chain().ok


def check_the_execution_tells_the_dates_of_its_cases() -> None:
    """What an auditor compares: the month's approval, its fixed revision, the comprobantes printed from it and the
    audit trail all say when the case's steps 4, 5 and 6 were done; the months were approved in their order."""
    from planea.audit.models import AuditEvent
    from planea.audit.services import object_type_of
    from planea.execution.models import ApprovedRevision, Comprobante, ExecutionMonth

    approvals = []
    for month in ExecutionMonth.objects.filter(case__isnull=False).select_related("case").order_by("month"):
        done = dict(month.case.tasks.filter(completed_at__isnull=False).values_list("number", "completed_at"))
        first = ApprovedRevision.objects.filter(execution_month=month, revision=1).first()
        if first is not None:
            assert (first.registered_at, first.authorized_at, first.approved_at) == (done["4"], done["5"], done["6"])
            approvals.append(first.approved_at)
        if month.status == "registrado":
            assert month.registered_at == done["4"]
        events = AuditEvent.objects.filter(object_type=object_type_of(month), object_id=str(month.pk))
        for revision in ApprovedRevision.objects.filter(execution_month=month):
            approved = events.get(action="execution_approved", after__revision=revision.revision)
            assert approved.occurred_at == revision.approved_at, month
            for comprobante in Comprobante.objects.filter(revision=revision).select_related("document"):
                made = comprobante.document.created_at - revision.approved_at
                assert timedelta(0) < made < timedelta(hours=1), comprobante.number
        assert all(month.case.started_at <= e.occurred_at <= timezone.now() for e in events), month
    assert len(approvals) == 9 and approvals == sorted(approvals)
