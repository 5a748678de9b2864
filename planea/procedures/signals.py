"""Signals other apps listen to. Sent inside the transaction of the step, so a receiver's writes (and audit
events) commit or roll back with it, and a receiver that raises `ProcedureError` refuses the step."""

from django.dispatch import Signal

# Sent after a step is completed and the engine has moved on. Arguments: case, task (the completed CaseTask),
# target (the step number the chosen branch leads to, or "" for a plain step), actor.
step_completed = Signal()
