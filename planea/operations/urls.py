from django.urls import path

from . import views

app_name = "operations"
urlpatterns = [
    path("planes/", views.plan_list, name="list"),
    path("planes/nuevo/", views.plan_create, name="create"),
    path("planes/<int:pk>/", views.plan_detail, name="detail"),
    path("planes/<int:pk>/centros/", views.plan_centers, name="detail_centers"),
    path("planes/<int:pk>/expediente/", views.start_case, name="start_case"),
    path("planes/<int:pk>/metas/", views.goal_grid, name="grid"),
    path("planes/<int:pk>/metas/guardar/", views.goal_grid_save, name="grid_save"),
    path("planes/<int:pk>/metas/excel/", views.goals_export, name="goals_export"),
    path("planes/<int:pk>/metas/importar/", views.goals_import, name="goals_import"),
    path("planes/<int:pk>/insumos/", views.matrix, name="matrix"),
    path("planes/<int:pk>/insumos/excel/", views.matrix_export, name="matrix_export"),
    path("planes/<int:pk>/insumos/importar/", views.matrix_import, name="matrix_import"),
    path("planes/<int:pk>/techos/", views.ceilings, name="ceilings"),
    path("planes/<int:pk>/techos/guardar/", views.ceilings_save, name="ceilings_save"),
    path("planes/<int:pk>/consistencia/", views.consistency, name="consistency"),
    path("planes/<int:pk>/anteproyecto.pdf", views.anteproyecto_pdf, name="anteproyecto_pdf"),
    path("planes/<int:pk>/anteproyecto.xlsx", views.anteproyecto_xlsx, name="anteproyecto_xlsx"),
    path("planes/<int:pk>/anteproyectos/<int:document_pk>/", views.anteproyecto_document, name="anteproyecto_document"),
    path("planes/<int:pk>/reprogramaciones/", views.reprogramming_list, name="reprogramming_list"),
    path("planes/<int:pk>/reprogramaciones/nueva/", views.reprogramming_create, name="reprogramming_create"),
    path("reprogramaciones/<int:pk>/", views.reprogramming_detail, name="reprogramming"),
    path("reprogramaciones/<int:pk>/resolver/", views.reprogramming_decide, name="reprogramming_decide"),
    path("insumos/", views.catalog, name="catalog"),
    path("insumos/excel/", views.catalog_export, name="catalog_export"),
    path("insumos/importar/", views.catalog_import, name="catalog_import"),
    path("pasos/<int:task_pk>/anteproyectos/", views.generate_anteproyectos, name="generate_anteproyectos"),
]
