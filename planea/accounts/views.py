from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from planea.org.models import RoleAssignment


class SignInView(LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def profile(request: HttpRequest) -> HttpResponse:
    assignments = RoleAssignment.objects.filter(person=request.user).select_related("org_unit")
    return render(request, "accounts/profile.html", {"assignments": assignments})
