from django.urls import path

from .views import plans, results_chain, versions

app_name = "strategy"
urlpatterns = [
    path("", plans.plan_list, name="list"),
    path("nuevo/", plans.plan_create, name="create"),
    path("comparar/", versions.plan_compare, name="compare"),
    path("<int:pk>/", plans.plan_detail, name="detail"),
    path("<int:pk>/editar/", plans.plan_edit, name="edit"),
    path("<int:pk>/nueva-version/", versions.new_version, name="new_version"),
    path("<int:pk>/expediente/", plans.start_case, name="start_case"),
    path("<int:pk>/<slug:kind>/nuevo/", results_chain.item_edit, name="item_create"),
    path("<int:pk>/<slug:kind>/<int:item_pk>/", results_chain.item_edit, name="item_edit"),
    path("<int:pk>/<slug:kind>/<int:item_pk>/eliminar/", results_chain.item_delete, name="item_delete"),
]
