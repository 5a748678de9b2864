from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from planea.audit.services import save_audited
from planea.core import params
from planea.spreadsheets.responses import spreadsheet_import, xlsx_download

from . import excel
from .access import SignedInRequest, require_unit, scoped_cost_centers, scoped_units
from .forms import CostCenterForm, InstitutionForm, OrgUnitForm, PersonForm, RoleAssignmentFormSet
from .geography import Department
from .models import CostCenter, CostCenterKind, Institution, OrgUnit, Person
from .roles import Role
from .services import save_org_unit, save_person


def tree_order(units: list[OrgUnit]) -> list[tuple[OrgUnit, int]]:
    """Units in tree order with their depth, roots first (a unit whose parent is hidden counts as a root)."""
    by_parent: dict[int | None, list[OrgUnit]] = {}
    ids = {u.pk for u in units}
    for unit in units:
        parent = unit.parent_id if unit.parent_id in ids else None
        by_parent.setdefault(parent, []).append(unit)
    ordered: list[tuple[OrgUnit, int]] = []
    # Depth first without recursion: a chain of units deeper than Python's stack is still listed.
    pending = [(unit, 0) for unit in sorted(by_parent.get(None, []), key=lambda u: u.code, reverse=True)]
    while pending:
        unit, depth = pending.pop()
        ordered.append((unit, depth))
        children = sorted(by_parent.get(unit.pk, []), key=lambda u: u.code, reverse=True)
        pending.extend((child, depth + 1) for child in children)
    return ordered


def unit_list(request: SignedInRequest) -> HttpResponse:
    units = list(
        scoped_units(request).annotate(
            n_centers=Count("cost_centers", distinct=True), n_people=Count("people", distinct=True)
        )
    )
    query = params.text(request.GET, "q")
    rows = tree_order(units)
    if query:
        rows = [(u, 0) for u, _d in rows if query.casefold() in f"{u.code} {u.name}".casefold()]
    return render(request, "org/unit_list.html", {"rows": rows, "q": query})


def edit_page(
    request: SignedInRequest, form: Any, *, title: str, back_url: str, save: Any, formset: Any = None
) -> HttpResponse:
    """A create/edit page: on a valid POST the object is saved with its audit event and we go back."""
    if request.method == "POST" and form.is_valid() and (formset is None or formset.is_valid()):
        save(form)
        messages.success(request, _("Cambios guardados."))
        return redirect(back_url)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "org/edit.html",
        {"form": form, "formset": formset, "title": title, "back_url": back_url},
        status=status,
    )


def unit_edit(request: SignedInRequest, pk: int | None = None) -> HttpResponse:
    unit = get_object_or_404(OrgUnit, pk=pk) if pk else None
    form = OrgUnitForm(request.POST or None, instance=unit)
    title = _("Editar unidad %(code)s") % {"code": unit.code} if unit else _("Nueva unidad organizativa")
    return edit_page(
        request,
        form,
        title=title,
        back_url=reverse("org:unit_list"),
        save=lambda f: save_org_unit(f.save(commit=False), request.user),
    )


def unit_export(request: SignedInRequest) -> HttpResponse:
    return xlsx_download(
        excel.export_units(scoped_units(request).select_related("parent").order_by("code")),
        "unidades-organizativas.xlsx",
    )


def unit_import(request: SignedInRequest) -> HttpResponse:
    return spreadsheet_import(
        request,
        importer=excel.import_units,
        title=_("Importar unidades organizativas"),
        template_url=reverse("org:unit_export"),
        back_url=reverse("org:unit_list"),
        help_text=_(
            "Las unidades se identifican por su código: un código nuevo crea la unidad "
            "y uno existente la actualiza. Para darla de baja, marque Activa = No."
        ),
    )


def costcenter_list(request: SignedInRequest) -> HttpResponse:
    centers = scoped_cost_centers(request)
    filters = {k: params.text(request.GET, k) for k in ("q", "kind", "department", "unit")}
    if filters["q"]:
        centers = centers.filter(
            Q(code__icontains=filters["q"]) | Q(name__icontains=filters["q"]) | Q(municipality__icontains=filters["q"])
        )
    if filters["kind"]:
        centers = centers.filter(kind=filters["kind"])
    if filters["department"]:
        centers = centers.filter(department=filters["department"])
    if filters["unit"]:
        centers = centers.filter(org_unit__code=filters["unit"])
    context = {
        "centers": centers.order_by("code"),
        "filters": filters,
        "kinds": CostCenterKind.choices,
        "departments": Department.choices,
        "units": scoped_units(request).order_by("code"),
    }
    return render(request, "org/costcenter_list.html", context)


def costcenter_edit(request: SignedInRequest, pk: int | None = None) -> HttpResponse:
    center = get_object_or_404(CostCenter, pk=pk) if pk else None
    if center:
        require_unit(request, center.org_unit_id)
    form = CostCenterForm(request.POST or None, instance=center)
    title = _("Editar centro de costo %(code)s") % {"code": center.code} if center else _("Nuevo centro de costo")
    return edit_page(
        request,
        form,
        title=title,
        back_url=reverse("org:costcenter_list"),
        save=lambda f: save_audited(f.save(commit=False), actor=request.user),
    )


def costcenter_export(request: SignedInRequest) -> HttpResponse:
    return xlsx_download(excel.export_cost_centers(scoped_cost_centers(request)), "centros-de-costo.xlsx")


def costcenter_import(request: SignedInRequest) -> HttpResponse:
    return spreadsheet_import(
        request,
        importer=excel.import_cost_centers,
        title=_("Importar centros de costo"),
        template_url=reverse("org:costcenter_export"),
        back_url=reverse("org:costcenter_list"),
        help_text=_(
            "Los centros de costo se identifican por su código; la unidad organizativa "
            "se indica por su código (por ejemplo 11.01.U0)."
        ),
    )


def person_list(request: SignedInRequest) -> HttpResponse:
    people = Person.objects.select_related("org_unit").prefetch_related("role_assignments__org_unit")
    query = params.text(request.GET, "q")
    role = params.text(request.GET, "role")
    if query:
        people = people.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(position__icontains=query)
        )
    if role:
        people = people.filter(role_assignments__role=role, role_assignments__active=True).distinct()
    return render(request, "org/person_list.html", {"people": people, "q": query, "role": role, "roles": Role.choices})


def person_edit(request: SignedInRequest, pk: int | None = None) -> HttpResponse:
    person = get_object_or_404(Person, pk=pk) if pk else None
    form = PersonForm(request.POST or None, instance=person)
    roles = RoleAssignmentFormSet(request.POST or None, instance=person or Person(), prefix="roles")
    title = _("Editar persona %(name)s") % {"name": person} if person else _("Nueva persona")
    return edit_page(
        request,
        form,
        title=title,
        back_url=reverse("org:person_list"),
        save=lambda f: save_person(f, roles, request.user),
        formset=roles,
    )


def institution_edit(request: SignedInRequest) -> HttpResponse:
    form = InstitutionForm(request.POST or None, instance=Institution.current())
    return edit_page(
        request,
        form,
        title=_("Datos de la institución"),
        back_url=reverse("org:unit_list"),
        save=lambda f: save_audited(f.save(commit=False), actor=request.user),
    )
