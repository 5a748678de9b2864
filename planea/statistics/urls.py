from django.urls import path

from . import views

app_name = "statistics"
urlpatterns = [
    path("estadisticas/", views.variables, name="variables"),
    path("estadisticas/cargar/", views.load, name="load"),
    path("estadisticas/cargar/archivo/", views.upload, name="upload"),
    path("estadisticas/plantilla/", views.template, name="template"),
    path("estadisticas/series/<str:code>/", views.series_page, name="series"),
    path("estadisticas/series/<str:code>/csv/", views.series_csv, name="series_csv"),
    path("estadisticas/series/<str:code>/periodos/", views.mark_period, name="period_mark"),
    path("estadisticas/series/<str:code>/periodos/<int:pk>/quitar/", views.remove_period, name="period_remove"),
]
