"""Sign-in and password change in Planea's own words (Django's Spanish catalog speaks the Spain register)."""

from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "El usuario o la contraseña no son correctos. Revise que las mayúsculas y minúsculas estén como al crear "
            "la cuenta."
        ),
        "inactive": _("Esta cuenta está desactivada. Pida a la administración de Planea que la active."),
    }


class ChangePasswordForm(PasswordChangeForm):
    error_messages = {
        "password_mismatch": _("Las dos contraseñas nuevas no son iguales; escríbalas de nuevo."),
        "password_incorrect": _("La contraseña actual no es correcta; escríbala de nuevo."),
    }
