from django.urls import path

from . import audit_chain, views

app_name = "jobs"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("<uuid:pk>/", views.detail, name="detail"),
    path("<uuid:pk>/avance/", views.progress, name="progress"),
    path("<uuid:pk>/documento/", views.download, name="download"),
    path("verificar-auditoria/", audit_chain.start_verification, name="verify_audit_chain"),
]
