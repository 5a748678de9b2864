from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("", include("planea.shell.urls")),
    path("", include("planea.core.urls")),
    path("", include("planea.accounts.urls")),
    path("idioma/", set_language, name="set_language"),
    path("organizacion/", include("planea.org.urls")),
    path("auditoria/", include("planea.audit.urls")),
    path("trabajos/", include("planea.jobs.urls")),
    path("", include("planea.procedures.urls")),
    path("pei/", include("planea.strategy.urls")),
    path("", include("planea.operations.urls")),
    path("", include("planea.statistics.urls")),
    path("pronosticos/", include("planea.forecasting.urls")),
    path("programacion/", include("planea.forecasting.programming_urls")),
    path("", include("planea.forecasting.proposal_urls")),
    path("ejecucion/", include("planea.execution.urls")),
]

handler500 = "planea.core.views.server_error"
