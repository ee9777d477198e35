from django.urls import path

from clients import views

app_name = "clients"

urlpatterns = [
    path("", views.client_list, name="list"),
    path("kepatuhan/", views.compliance, name="compliance"),
    path("baru/", views.client_create, name="create"),
    path("<int:pk>/", views.client_detail, name="detail"),
    path("<int:pk>/ubah/", views.client_edit, name="edit"),
    path("<int:pk>/wajib-lapor/", views.visit_create, name="visit_create"),
    path("<int:pk>/status/", views.status_change, name="status_change"),
    path("<int:pk>/pk/", views.reassign, name="reassign"),
    path("<int:pk>/peringatan/", views.warning_create, name="warning_create"),
    path("<int:pk>/izin/", views.excuse_create, name="excuse_create"),
    path("izin/<int:pk>/bukti/", views.excuse_evidence, name="excuse_evidence"),
    path("<int:pk>/arsip/", views.archive, name="archive"),
]
