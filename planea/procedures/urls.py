from django.urls import path

from . import manual_pdf, step_request_views, views

app_name = "procedures"

urlpatterns = [
    path("procedimientos/", views.register, name="register"),
    path("procedimientos/manual.pdf", manual_pdf.manual_pdf, name="manual_pdf"),
    path("indicadores/", views.indicators, name="indicators"),
    path("expedientes/", views.case_list, name="case_list"),
    path("expedientes/<int:pk>/", views.case_detail, name="case"),
    path("expedientes/<int:pk>/documentos/<int:document_pk>/", views.case_document, name="case_document"),
    path("pasos/<int:pk>/tomar/", views.task_claim, name="task_claim"),
    path("pasos/<int:pk>/liberar/", views.task_release, name="task_release"),
    path("pasos/<int:pk>/asignar/", views.task_assign, name="task_assign"),
    path("pasos/<int:pk>/documento/", views.task_attach, name="task_attach"),
    path("pasos/<int:pk>/oficio/", views.task_oficio, name="task_oficio"),
    path("pasos/<int:pk>/completar/", views.task_complete, name="task_complete"),
    path("solicitudes/<int:pk>/", step_request_views.step_request, name="step_request"),
    path("solicitudes/<int:pk>/archivo/", step_request_views.step_request_document, name="step_request_document"),
    path("procedimientos/definiciones/<int:pk>/bpmn/", views.definition_xml, name="definition_xml"),
    path("procedimientos/definiciones/<int:pk>/plazos/", views.due_days, name="due_days"),
    path("procedimientos/<str:code>/", views.procedure_detail, name="detail"),
    path("procedimientos/<str:code>/iniciar/", views.case_start, name="case_start"),
    path("procedimientos/<str:code>/version/", views.version_upload, name="version_upload"),
]
