"""Changes to the organization, each written with its audit event in one transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.forms.models import BaseInlineFormSet

from planea.audit.services import record, save_audited, snapshot

from .forms import PersonForm
from .models import Institution, OrgUnit, Person, RoleAssignment


def save_org_unit(unit: OrgUnit, actor: Person) -> OrgUnit:
    if unit.institution_id is None:
        institution = Institution.current()
        assert institution is not None, "La institución debe existir antes que sus unidades."
        unit.institution = institution
    save_audited(unit, actor=actor)
    return unit


def save_person(form: PersonForm, roles: BaseInlineFormSet[RoleAssignment, Person, Any], actor: Person) -> Any:
    """Save a person and their role assignments; each change is one audit event."""
    with transaction.atomic():
        person = form.save(commit=False)
        password = form.cleaned_data.get("new_password")
        if password:
            person.set_password(password)
        save_audited(person, actor=actor, summary="Contraseña asignada por la administración" if password else "")
        roles.instance = person
        for subform in roles.forms:
            assignment = subform.instance
            if subform in roles.deleted_forms:
                if assignment.pk is not None:
                    before = snapshot(assignment)
                    pk = assignment.pk
                    assignment.delete()
                    record(
                        actor=actor,
                        action="delete",
                        object_type="org.roleassignment",
                        object_id=str(pk),
                        object_repr=f"{person} · {before.get('role')}",
                        before=before,
                    )
                continue
            if not subform.has_changed():
                continue
            assignment = subform.save(commit=False)
            assignment.person = person
            save_audited(assignment, actor=actor)
    return person
