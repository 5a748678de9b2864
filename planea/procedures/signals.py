"""Signals other apps listen to. Sent inside the transaction of the step, so a receiver's writes (and audit
events) commit or roll back with it, and a receiver that raises `ProcedureError` refuses the step."""

from enum import StrEnum

from django.dispatch import Signal


class Outcome(StrEnum):
    """What completing a step did to its case."""

    ADVANCED = "advanced"  # the case moved on to the following step (a decision's branch that leads on included)
    RETURNED = "returned"  # the document went back to an earlier step: a decision's branch or a plain return step
    CONCLUDED = "concluded"  # the case ended


# Sent after a step is completed and the engine has moved on. Arguments: case, task (the completed CaseTask),
# target (the step number the chosen branch leads to, or "" for a plain step), outcome (`Outcome`), actor.
step_completed = Signal()
