from typing import Any

from django.contrib.auth.views import LoginView, PasswordChangeView
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render

from planea.audit.services import record
from planea.org.access import SignedInRequest
from planea.org.models import RoleAssignment

from .forms import ChangePasswordForm, SignInForm


class SignInView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


def profile(request: SignedInRequest) -> HttpResponse:
    assignments = RoleAssignment.objects.filter(person=request.user).select_related("org_unit")
    return render(request, "accounts/profile.html", {"assignments": assignments})


class ChangePasswordView(PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = ChangePasswordForm
    request: SignedInRequest

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            record(
                actor=self.request.user,
                action="password_change",
                instance=self.request.user,
                summary="Cambio de contraseña por la propia persona",
            )
        return response
