from django.urls import path

from workbook import views

app_name = "workbook"

urlpatterns = [
    path("impor/", views.import_upload, name="import_upload"),
    path("impor/template/", views.import_template, name="import_template"),
    path("impor/<int:pk>/", views.import_preview, name="import_preview"),
    path("impor/<int:pk>/konfirmasi/", views.import_confirm, name="import_confirm"),
    path("impor/<int:pk>/status/", views.import_status, name="import_status"),
    path("impor/<int:pk>/status.json", views.import_progress, name="import_progress"),
    path("ekspor/kantor/", views.export_office, name="export_office"),
    path("ekspor/<slug:kind>/", views.export_list, name="export_list"),
]
