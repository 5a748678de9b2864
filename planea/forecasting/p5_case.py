"""The P5 case on the case page: what it works on (links: the POA, the chosen forecast run, the comparison), what
each pending step shows (step checks) and what completing a step does (the `step_completed` receiver):

- step 1 shows the statistical variables that measure the POA's subproducts, the last month loaded of each, and
  links to their series pages (a case started without a POA offers to link one here);
- step 2 shows Estadística's answer to its request, the runs of the POA's year to choose from and the button that
  starts one; completing it is refused until Estadística answered and a finished run is chosen;
- step 3 shows how many lines exceed the tolerance, with the comparison page;
- completing step 5 pre-fills the POA's lines without goals from the forecast (step 6 adjusts them in the grid);
- step 7 shows what completing it incorporates, and completing it incorporates (incorporation.py).

A P5 case without a linked POA (started from the procedures' page, as the demo's) runs as the manual's steps."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _

from planea.core.numbers import formatted
from planea.org.models import Person
from planea.procedures import links, step_checks, step_requests
from planea.procedures.models import Case, CaseTask, TaskStatus
from planea.procedures.people import can_work_on
from planea.procedures.signals import Outcome, step_completed
from planea.statistics.loading import last_closed_month
from planea.statistics.models import StatisticalVariable
from planea.statistics.series import last_months

from . import comparison, incorporation
from .freshness import changes_since
from .models import ForecastRun, Programming, RunStatus
from .programming import (
    FORECAST_STEP,
    STATISTICS_REQUEST,
    is_p5,
    may_set_tolerance,
    programming_of,
    require_run,
    require_statistics,
    runs_of_year,
    statistics_answered,
)
from .programming_forms import ChooseRunForm, LinkPlanForm, ToleranceForm

ANALYSIS_STEP = "1"
COMPARISON_STEP = "3"
MONEY_STEP = "5"  # completing it leads to step 6, which adjusts the goals: the POA is pre-filled then
ADJUSTMENT_STEP = "6"
INCORPORATION_STEP = "7"


def run_url(run: ForecastRun) -> str:
    return reverse("forecasting:run", args=[run.pk])


def run_label(run: ForecastRun) -> str:
    return _("Corrida %(run)s de pronósticos %(year)s, datos hasta %(until)s") % {
        "run": run.pk,
        "year": run.target_year,
        "until": run.data_until.strftime("%m/%Y"),
    }


@links.register
def programming_links(case: Case, user: Any) -> list[links.Link]:
    if not is_p5(case):
        return []
    programming = programming_of(case)
    if programming is None:
        return []
    plan = programming.plan
    found = [
        links.Link(
            _("%(plan)s que programa este expediente") % {"plan": plan.code},
            reverse("operations:detail", args=[plan.pk]),
            plan.get_status_display(),
        )
    ]
    if programming.run is not None:
        found.append(
            links.Link(
                run_label(programming.run),
                run_url(programming.run) or reverse("programming:comparison", args=[programming.pk]),
                programming.run.get_status_display(),
            )
        )
        found.append(
            links.Link(
                _("Comparación de los pronósticos con el POM (paso 3)"),
                reverse("programming:comparison", args=[programming.pk]),
                _("tolerancia %(t)s %%") % {"t": formatted(programming.tolerance)},
            )
        )
    if programming.incorporated_at is not None:
        found.append(
            links.Link(
                _("Metas de %(plan)s") % {"plan": plan.code},
                reverse("operations:grid", args=[plan.pk]),
                _("incorporadas el %(when)s") % {"when": programming.incorporated_at.strftime("%d/%m/%Y")},
            )
        )
    return found


def variables_of(programming: Programming) -> list[dict[str, Any]]:
    """The statistical variables measuring the POA's subproducts, by code, with the last month loaded (year, month)
    and the address of their series page."""
    variables = list(
        StatisticalVariable.objects.filter(subproduct__plan_id=programming.plan.strategic_plan_id)
        .select_related("subproduct", "unit")
        .order_by("subproduct__code", "code")
    )
    last = last_months(variables)
    return [
        {
            "variable": variable,
            "last": last.get(variable.pk),
            "url": reverse("statistics:series", args=[variable.code]),
        }
        for variable in variables
    ]


@step_checks.register
def programming_check(task: CaseTask, user: Any) -> step_checks.StepCheck | None:
    if task.status != TaskStatus.READY or not is_p5(task.case):
        return None
    programming = programming_of(task.case)
    works = can_work_on(user, task)
    if programming is None:
        if task.number not in (ANALYSIS_STEP, FORECAST_STEP):
            return None
        return step_checks.StepCheck(
            "forecasting/programming/_step_link.html", {"form": LinkPlanForm() if works else None, "case": task.case}
        )
    context: dict[str, Any] = {"programming": programming, "plan": programming.plan, "works": works}
    if task.number == ANALYSIS_STEP:
        context["variables"] = variables_of(programming)
        context["variables_url"] = reverse("statistics:variables")
        return step_checks.StepCheck("forecasting/programming/_step_1.html", context)
    if task.number == FORECAST_STEP:
        runs = list(runs_of_year(programming)[:10])
        loaded = [v["last"] for v in variables_of(programming) if v["last"] is not None]
        context.update(
            last_loaded=max(loaded) if loaded else None,
            last_closed=last_closed_month(),
            request=step_requests.last_request(task.case, FORECAST_STEP, STATISTICS_REQUEST),
            answered=statistics_answered(programming),
            runs=[{"run": run, "url": run_url(run), "done": run.status == RunStatus.DONE} for run in runs],
            choose_form=ChooseRunForm(programming=programming) if works else None,
            runs_url=reverse("forecasting:runs"),
            changed=changes_since(programming.run) if programming.run else None,
        )
        return step_checks.StepCheck("forecasting/programming/_step_2.html", context)
    if programming.run is None:
        return None
    if task.number == COMPARISON_STEP:
        table = comparison.comparison(programming)
        context.update(
            flagged=len(table.flagged_lines()),
            lines=len(table.lines),
            tolerance_form=ToleranceForm(initial={"tolerance": programming.tolerance})
            if may_set_tolerance(programming, user)
            else None,
        )
        return step_checks.StepCheck("forecasting/programming/_step_3.html", context)
    if task.number == ADJUSTMENT_STEP:
        context["preview"] = incorporation.preview(programming)
        return step_checks.StepCheck("forecasting/programming/_step_6.html", context)
    if task.number == INCORPORATION_STEP:
        context["preview"] = incorporation.preview(programming)
        return step_checks.StepCheck("forecasting/programming/_step_7.html", context)
    return None


@receiver(step_completed, sender=Case)
def follow_p5(
    sender: type[Case], case: Case, task: CaseTask, target: str, outcome: Outcome, actor: Person, **kwargs: Any
) -> None:
    """Refuse step 2 until Estadística answered and a finished run is chosen; pre-fill the POA when step 6 arrives;
    incorporate the goals when step 7 is completed. Runs in the step's transaction: a refusal undoes the step."""
    if not is_p5(case) or outcome == Outcome.RETURNED:
        return
    programming = programming_of(case)
    if programming is None:
        return
    if task.number == FORECAST_STEP:
        require_statistics(programming)
        require_run(programming)
    elif task.number == MONEY_STEP:
        incorporation.prefill(programming, actor=actor)
    elif task.number == INCORPORATION_STEP:
        incorporation.incorporate(programming, actor=actor)
