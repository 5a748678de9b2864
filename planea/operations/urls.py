from django.urls import path

from .views import anteproyecto, ceilings, consistency, goals, inputs, plans, reprogramming

app_name = "operations"
urlpatterns = [
    path("planes/", plans.plan_list, name="list"),
    path("planes/nuevo/", plans.plan_create, name="create"),
    path("planes/<int:pk>/", plans.plan_detail, name="detail"),
    path("planes/<int:pk>/centros/", plans.plan_centers, name="detail_centers"),
    path("planes/<int:pk>/expediente/", plans.start_case, name="start_case"),
    path("planes/<int:pk>/metas/", goals.goal_grid, name="grid"),
    path("planes/<int:pk>/metas/guardar/", goals.goal_grid_save, name="grid_save"),
    path("planes/<int:pk>/metas/excel/", goals.goals_export, name="goals_export"),
    path("planes/<int:pk>/metas/importar/", goals.goals_import, name="goals_import"),
    path("planes/<int:pk>/insumos/", inputs.matrix, name="matrix"),
    path("planes/<int:pk>/insumos/excel/", inputs.matrix_export, name="matrix_export"),
    path("planes/<int:pk>/insumos/importar/", inputs.matrix_import, name="matrix_import"),
    path("planes/<int:pk>/techos/", ceilings.ceilings, name="ceilings"),
    path("planes/<int:pk>/techos/guardar/", ceilings.ceilings_save, name="ceilings_save"),
    path("planes/<int:pk>/consistencia/", inputs.consistency, name="consistency"),
    path("planes/<int:pk>/anteproyecto.pdf", anteproyecto.anteproyecto_pdf, name="anteproyecto_pdf"),
    path("planes/<int:pk>/anteproyecto.xlsx", anteproyecto.anteproyecto_xlsx, name="anteproyecto_xlsx"),
    path(
        "planes/<int:pk>/anteproyectos/<int:document_pk>/",
        anteproyecto.anteproyecto_document,
        name="anteproyecto_document",
    ),
    path("planes/<int:pk>/reprogramaciones/", reprogramming.reprogramming_list, name="reprogramming_list"),
    path("planes/<int:pk>/reprogramaciones/nueva/", reprogramming.reprogramming_create, name="reprogramming_create"),
    path("reprogramaciones/<int:pk>/", reprogramming.reprogramming_detail, name="reprogramming"),
    path("reprogramaciones/<int:pk>/resolver/", reprogramming.reprogramming_decide, name="reprogramming_decide"),
    path("insumos/", inputs.catalog, name="catalog"),
    path("insumos/excel/", inputs.catalog_export, name="catalog_export"),
    path("insumos/importar/", inputs.catalog_import, name="catalog_import"),
    path("pasos/<int:task_pk>/anteproyectos/", anteproyecto.generate_anteproyectos, name="generate_anteproyectos"),
    path("pasos/<int:task_pk>/consistencia/", consistency.acknowledge, name="acknowledge_consistency"),
]
