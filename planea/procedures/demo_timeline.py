"""The demo's cases spread over past weeks: a case is worked through the services in one go, so every step
arrives, is due and is done at the same moment. This replays its steps, in the order they happened, on a
plausible calendar of working days ending on a chosen day: each step takes a few working days (most within its
deadline, some late), arrives when the step before it is done and is due its working days after it arrives.

Used only by the demo data (`seed_demo`); the services never write a past date."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from planea.core.workdays import add_working_days, is_working_day

from .models import Case, CaseTask, StepDocument, StepRequest, TaskStatus
from .step_requests import asks_of

LATE_SHARE = 0.2  # about one step in five takes longer than its deadline
OVERDUE_BY = 3  # working days an overdue demo step is past its due date


@dataclass
class Moment:
    day: int  # working days after the case's first
    hour: float  # 8.0 to 17.0

    def key(self) -> tuple[int, float]:
        return (self.day, self.hour)


def working_days_back(end: date, count: int) -> list[date]:
    """The `count` + 1 working days that end on `end` (a working day), oldest first."""
    days = [end]
    current = end
    while len(days) <= count:
        current -= timedelta(days=1)
        if is_working_day(current):
            days.append(current)
    return days[::-1]


def last_working_day(day: date) -> date:
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def step_done(rng: random.Random, allowed: int, arrived: Moment, clock: Moment) -> Moment:
    """When a step that arrived at `arrived` and is due in `allowed` working days is done: most within the deadline,
    about one in five (LATE_SHARE) one to three working days late; always after `clock` (whatever happened last)."""
    days = allowed + rng.randint(1, 3) if rng.random() < LATE_SHARE else rng.randint(0, max(allowed - 1, 0))
    finish = Moment(arrived.day + days, 8.0 + rng.random() * 9)
    if finish.key() <= clock.key():
        hour = clock.hour + 0.25 + rng.random()
        finish = Moment(clock.day, hour) if hour < 17 else Moment(clock.day + 1, 8.0 + rng.random())
    return finish


def moment_on(calendar: list[date], moment: Moment) -> datetime:
    """The moment as a local date and time: its day in `calendar` (working days), its hour before 17:00."""
    hours = min(moment.hour, 16.99)
    return datetime.combine(
        calendar[moment.day], time(int(hours), int(hours % 1 * 60)), tzinfo=timezone.get_current_timezone()
    )


@transaction.atomic
def spread_over_past_weeks(case: Case, *, ended_working_days_ago: int = 0, overdue: bool = False) -> None:
    """Give `case` a past: its last step done (or its pending steps arrived) `ended_working_days_ago` working days
    before today. With `overdue`, its pending steps arrived long enough ago to be `OVERDUE_BY` working days past
    their due date."""
    rng = random.Random(case.number)  # the same demo every time
    definition = case.definition
    tasks = list(CaseTask.objects.filter(case=case).order_by("created_at", "pk"))
    if not tasks:
        return
    # Arrivals and completions in the order they happened (a step arrives when the one before it is done).
    events = sorted(
        [(t.created_at, 0, t) for t in tasks] + [(t.completed_at, 1, t) for t in tasks if t.completed_at],
        key=lambda e: (e[0], e[1], e[2].pk),
    )
    clock = Moment(0, 8.5 + rng.random())
    arrived: dict[int, Moment] = {}
    done: dict[int, Moment] = {}
    for _when, kind, task in events:
        if kind == 0:
            arrived[task.pk] = Moment(clock.day, clock.hour)
            continue
        clock = done[task.pk] = step_done(rng, definition.working_days(task.number), arrived[task.pk], clock)
    pending = [t for t in tasks if t.status == TaskStatus.READY]
    lag = ended_working_days_ago
    if overdue and pending:
        lag = max(definition.working_days(t.number) for t in pending) + OVERDUE_BY
    end = last_working_day(timezone.localdate())
    calendar = working_days_back(end, clock.day + lag)

    def at(moment: Moment) -> datetime:
        return moment_on(calendar, moment)

    for task in tasks:
        arrival = at(arrived[task.pk])
        finished = at(done[task.pk]) if task.pk in done else None
        CaseTask.objects.filter(pk=task.pk).update(
            created_at=arrival,
            due_date=add_working_days(arrival.date(), definition.working_days(task.number)),
            completed_at=finished,
        )
        if finished is not None:
            StepDocument.objects.filter(task=task).update(added_at=max(arrival, finished - timedelta(minutes=20)))
        for sent in StepRequest.objects.filter(task=task):  # sent when the step arrived, due as it asks
            ask = next((a for a in asks_of(definition.code, task.number) if a.key == sent.key), None)
            asked_days = ask.working_days if ask is not None else None
            allowed_days = definition.working_days(task.number) if asked_days is None else asked_days
            due = add_working_days(arrival.date(), allowed_days)
            answered = sent.answered_at and min(finished or sent.answered_at, arrival + timedelta(days=2))
            StepRequest.objects.filter(pk=sent.pk).update(created_at=arrival, due_date=due, answered_at=answered)
    last = max(done.values(), key=Moment.key) if done else None
    Case.objects.filter(pk=case.pk).update(
        started_at=at(arrived[tasks[0].pk]) - timedelta(minutes=5),
        completed_at=at(last) if case.completed_at and last else None,
    )
