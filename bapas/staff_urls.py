from django.urls import path

from bapas import views

app_name = "bapas"

urlpatterns = [
    path("", views.staff_list, name="staff_list"),
    path("baru/", views.staff_create, name="staff_create"),
    path("<int:pk>/ubah/", views.staff_edit, name="staff_edit"),
    path("<int:pk>/nonaktifkan/", views.staff_deactivate, name="staff_deactivate"),
    path("<int:pk>/reset-kata-sandi/", views.staff_password_reset, name="staff_password_reset"),
    path("log-akses/", views.access_log, name="access_log"),
    path("akun/verifikasi-dua-langkah/", views.otp_setup, name="otp_setup"),
    path("akun/verifikasi-dua-langkah/kode/", views.otp_verify, name="otp_verify"),
    path("akun/verifikasi-dua-langkah/matikan/", views.otp_disable, name="otp_disable"),
]
