from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from bapas import views
from bapas.signin import SignInView
from config.views import home
from reports import views as reports_views

urlpatterns = [
    path("", home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("masuk/", SignInView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("akun/kata-sandi/", views.PasswordChangeView.as_view(), name="password_change"),
    path("akun/kata-sandi/selesai/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("staf/", include("bapas.staff_urls")),
    # Pages made of several apps' parts live in reports (the floor above those apps), under their own paths.
    path("klien/tugas/", reports_views.worklist, name="worklist"),
    path("pelatihan/<int:pk>/sertifikat.pdf", reports_views.certificates_pdf, name="certificates_pdf"),
    path("klien/", include("clients.urls")),
    path("mitra/", include("pokmaslipas.urls")),
    path("pelatihan/", include("trainings.urls")),
    path("laporan/", include("reports.urls")),
    path("impor-ekspor/", include("workbook.urls")),
    path("django-admin/", admin.site.urls),
]

# The error page must render while the database is down (no context processors, no queries).
handler500 = "bapas.views.server_error"
