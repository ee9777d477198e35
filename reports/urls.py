from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("dasbor/kantor/", views.dashboard_office, name="dashboard_office"),
    path("dasbor/bimker/", views.dashboard_kasubsi, name="dashboard_kasubsi"),
    path("dasbor/wilayah/", views.dashboard_regional, name="dashboard_regional"),
    path("dasbor/nasional/", views.dashboard_national, name="dashboard_national"),
    path("kartu-bimbingan/<int:pk>/", views.client_card, name="client_card"),
    path("daftar-hadir/<int:pk>/", views.attendance_sheet, name="attendance_sheet"),
    path("surat-peringatan/<int:pk>/", views.warning_letter, name="warning_letter"),
    path("berita-acara-tpp/<int:pk>/", views.tpp_minutes_pdf, name="tpp_minutes_pdf"),
    path("usulan-pencabutan/<int:pk>/", views.revocation_proposal, name="revocation_proposal"),
    path("temuan/", views.evidence, name="evidence"),
    path("temuan/unduh.<str:fmt>", views.evidence_download, name="evidence_download"),
    path("berkas/", views.generated_list, name="generated_list"),
    path("berkas/<int:pk>/", views.generated_detail, name="generated_detail"),
    path("berkas/<int:pk>/status.json", views.generated_status, name="generated_status"),
    path("berkas/<int:pk>/unduh/", views.generated_download, name="generated_download"),
    path("berkas/<int:pk>/ulangi/", views.generated_retry, name="generated_retry"),
    path("bulanan/", views.monthly_list, name="monthly_list"),
    path("bulanan/<str:office>/<str:month>/", views.monthly_detail, name="monthly_detail"),
    path("bulanan/<str:office>/<str:month>/tinjau/", views.monthly_review, name="monthly_review"),
    path("bulanan/<str:office>/<str:month>/tanda-tangan/", views.monthly_sign, name="monthly_sign"),
    path("bulanan/<str:office>/<str:month>/koreksi/", views.monthly_correct, name="monthly_correct"),
    path("bulanan/<str:office>/<str:month>/pdf/", views.monthly_pdf, name="monthly_pdf"),
    path("<slug:name>/", views.report, name="report"),
    path("<slug:name>/unduh.<str:fmt>", views.download, name="download"),
]
