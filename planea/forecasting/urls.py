from django.urls import path

from . import views

app_name = "forecasting"
urlpatterns = [
    path("", views.run_list, name="runs"),
    path("nueva/", views.run_start, name="start"),
    path("<int:pk>/", views.run_detail, name="run"),
    path("<int:pk>/series/<int:series_pk>/", views.series_detail, name="series"),
]
