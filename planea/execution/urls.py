from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "execution"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="execution:dashboard"), name="index"),
    path("meses/", views.months_page, name="months"),
    path("meses/<int:pk>/", views.month_page, name="month"),
    path("meses/<int:pk>/guardar/", views.save_month, name="save"),
    path("meses/<int:pk>/historial/", views.history_page, name="history"),
    path("meses/<int:pk>/estadisticas/", views.prefill_month, name="prefill"),
    path("meses/<int:pk>/plantilla.xlsx", views.export_month, name="export"),
    path("meses/<int:pk>/importar/", views.import_month, name="import"),
    path("meses/<int:pk>/<slug:action>/", views.decide, name="decide"),
    path("comprobantes/verificar/", views.verify_page, name="verify"),
    path("comprobantes/<str:number>.pdf", views.comprobante_file, name="comprobante"),
    path("informes/", views.report_page, name="report"),
    path("informes/informe.xlsx", views.report_xlsx, name="report_xlsx"),
    path("informes/informe-pdf/", views.report_pdf, name="report_pdf"),
    path("tablero/", views.dashboard_page, name="dashboard"),
]
