from django.urls import path

from . import programming_views as views

app_name = "programming"
urlpatterns = [
    path("", views.start, name="start"),
    path("expedientes/<int:case_pk>/poa/", views.link, name="link"),
    path("<int:pk>/corrida/", views.choose_run, name="choose_run"),
    path("<int:pk>/pronosticar/", views.start_forecast, name="start_forecast"),
    path("<int:pk>/comparacion/", views.comparison_page, name="comparison"),
    path("<int:pk>/comparacion.xlsx", views.comparison_xlsx, name="comparison_xlsx"),
    path("<int:pk>/tolerancia/", views.tolerance, name="tolerance"),
]
