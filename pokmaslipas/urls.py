from django.urls import path

from pokmaslipas import views

app_name = "pokmaslipas"

urlpatterns = [
    path("daftar/", views.partner_list, name="partner_list"),
    path("daftar/baru/", views.partner_create, name="partner_create"),
    path("daftar/<int:pk>/", views.partner_detail, name="partner_detail"),
    path("daftar/<int:pk>/ubah/", views.partner_edit, name="partner_edit"),
    path("pks/", views.agreement_list, name="agreement_list"),
    path("pks/baru/", views.agreement_create, name="agreement_create"),
    path("pks/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("pks/<int:pk>/ubah/", views.agreement_edit, name="agreement_edit"),
    path("pks/<int:pk>/dokumen/", views.agreement_document, name="agreement_document"),
    path("pks/<int:pk>/akhiri/", views.agreement_terminate, name="agreement_terminate"),
    path("pks/<int:pk>/perpanjang/", views.agreement_renew, name="agreement_renew"),
]
