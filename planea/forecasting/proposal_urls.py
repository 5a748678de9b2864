from django.urls import path

from . import proposal_views

app_name = "proposal"

urlpatterns = [
    path("pasos/<int:task_pk>/anexo-propuesta/", proposal_views.generate_annex, name="generate_annex"),
    path("pasos/<int:task_pk>/reporte-siges/", proposal_views.generate_siges, name="generate_siges"),
    path("programacion/<int:pk>/metas-financieras/", proposal_views.money_page, name="money"),
    path("programacion/<int:pk>/siges/", proposal_views.siges_page, name="siges"),
    path("programacion/<int:pk>/siges.xlsx", proposal_views.siges_xlsx, name="siges_xlsx"),
    path("programacion/<int:pk>/siges/<int:document_pk>/", proposal_views.siges_document, name="siges_document"),
]
