"""The results chain of a draft version: a result, indicator (with its yearly targets), product or subproduct
created, changed or deleted through its form."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from planea.core.errors import add_model_errors, error_text
from planea.org.access import SignedInRequest

from .. import results_chain
from ..forms import CONTENT_FORMS, IndicatorForm
from ..models import StrategicPlan


def item_edit(request: SignedInRequest, pk: int, kind: str, item_pk: int | None = None) -> HttpResponse:
    plan = get_object_or_404(StrategicPlan, pk=pk)
    if kind not in CONTENT_FORMS:
        raise Http404
    form_class, label = CONTENT_FORMS[kind]
    model = form_class._meta.model
    instance = get_object_or_404(model, pk=item_pk, plan=plan) if item_pk else model(plan=plan)
    if not plan.is_editable:
        messages.error(request, _("%(plan)s no está en borrador; no se edita.") % {"plan": plan})
        return redirect("strategy:detail", plan.pk)
    form = form_class(request.POST or None, instance=instance, plan=plan)
    if request.method == "POST" and form.is_valid():
        item = form.save(commit=False)
        m2m = {f.name: form.cleaned_data[f.name] for f in model._meta.many_to_many if f.name in form.fields}
        targets = form.targets() if isinstance(form, IndicatorForm) else None
        try:
            results_chain.save_item(item, actor=request.user, m2m=m2m, targets=targets)
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            messages.success(request, _("Cambios guardados."))
            return redirect(f"{reverse('strategy:detail', args=[plan.pk])}#{kind}-{item.pk}")
    title = (
        (_("Editar %(what)s %(code)s") % {"what": label, "code": instance.code})
        if item_pk
        else (_("Nuevo %(what)s") % {"what": label})
    )
    return render(
        request,
        "strategy/item_form.html",
        {"form": form, "plan": plan, "title": title, "kind": kind, "item": instance if item_pk else None},
        status=400 if form.errors else 200,
    )


@require_POST
def item_delete(request: SignedInRequest, pk: int, kind: str, item_pk: int) -> HttpResponse:
    plan = get_object_or_404(StrategicPlan, pk=pk)
    if kind not in CONTENT_FORMS:
        raise Http404
    model = CONTENT_FORMS[kind][0]._meta.model
    instance = get_object_or_404(model, pk=item_pk, plan=plan)
    try:
        results_chain.delete_content(instance, actor=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("«%(item)s» eliminado.") % {"item": instance})
    return redirect("strategy:detail", plan.pk)
