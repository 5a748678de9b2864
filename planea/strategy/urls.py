from django.urls import path

from . import views

app_name = "strategy"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("nuevo/", views.plan_create, name="create"),
    path("comparar/", views.plan_compare, name="compare"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/editar/", views.plan_edit, name="edit"),
    path("<int:pk>/nueva-version/", views.new_version, name="new_version"),
    path("<int:pk>/expediente/", views.start_case, name="start_case"),
    path("<int:pk>/<slug:kind>/nuevo/", views.item_edit, name="item_create"),
    path("<int:pk>/<slug:kind>/<int:item_pk>/", views.item_edit, name="item_edit"),
    path("<int:pk>/<slug:kind>/<int:item_pk>/eliminar/", views.item_delete, name="item_delete"),
]
