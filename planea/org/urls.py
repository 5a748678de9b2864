from django.urls import path

from . import views

app_name = "org"
urlpatterns = [
    path("unidades/", views.unit_list, name="unit_list"),
    path("unidades/nueva/", views.unit_edit, name="unit_create"),
    path("unidades/<int:pk>/", views.unit_edit, name="unit_edit"),
    path("unidades/excel/", views.unit_export, name="unit_export"),
    path("unidades/importar/", views.unit_import, name="unit_import"),
    path("centros-de-costo/", views.costcenter_list, name="costcenter_list"),
    path("centros-de-costo/nuevo/", views.costcenter_edit, name="costcenter_create"),
    path("centros-de-costo/<int:pk>/", views.costcenter_edit, name="costcenter_edit"),
    path("centros-de-costo/excel/", views.costcenter_export, name="costcenter_export"),
    path("centros-de-costo/importar/", views.costcenter_import, name="costcenter_import"),
    path("personas/", views.person_list, name="person_list"),
    path("personas/nueva/", views.person_edit, name="person_create"),
    path("personas/<int:pk>/", views.person_edit, name="person_edit"),
    path("institucion/", views.institution_edit, name="institution_edit"),
]
