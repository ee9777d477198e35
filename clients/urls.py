from django.urls import path

from clients import transfer_views, views

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
    path("izin/<int:pk>/tarik/", views.excuse_withdraw, name="excuse_withdraw"),
    path("<int:pk>/tangguhkan/", views.suspend, name="suspend"),
    path("usulan-pencabutan/<int:pk>/keputusan/", views.revocation_decide, name="revocation_decide"),
    path("tpp/", views.tpp_list, name="tpp_list"),
    path("tpp/baru/", views.tpp_create, name="tpp_create"),
    path("tpp/<int:pk>/", views.tpp_detail, name="tpp_detail"),
    path("tpp/<int:pk>/berita-acara/", views.tpp_minutes, name="tpp_minutes"),
    path("<int:pk>/arsip/", views.archive, name="archive"),
    path("<int:pk>/pelimpahan/", transfer_views.transfer_create, name="transfer_create"),
    path("pelimpahan/", transfer_views.transfer_list, name="transfer_list"),
    path("pelimpahan/<int:pk>/keputusan/", transfer_views.transfer_decide, name="transfer_decide"),
    path("pelimpahan/<int:pk>/batalkan/", transfer_views.transfer_cancel, name="transfer_cancel"),
]
