from django.urls import path, register_converter

from trainings import public, views


class IsoDateConverter:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value.isoformat() if hasattr(value, "isoformat") else str(value)


register_converter(IsoDateConverter, "isodate")

app_name = "trainings"

urlpatterns = [
    path("", views.session_list, name="session_list"),
    path("baru/", views.session_create, name="session_create"),
    path("<int:pk>/", views.session_detail, name="session_detail"),
    path("<int:pk>/ubah/", views.session_edit, name="session_edit"),
    path("<int:pk>/ulangi/", views.session_repeat, name="session_repeat"),
    path("<int:pk>/batal/", views.session_cancel, name="session_cancel"),
    path("<int:pk>/terlaksana/", views.session_mark_held, name="session_mark_held"),
    path("<int:pk>/peserta/", views.enrol, name="enrol"),
    path("<int:pk>/saran-peserta/", views.suggestions, name="suggestions"),
    path("<int:pk>/kehadiran/<isodate:date>/", views.attendance, name="attendance"),
    path("<int:pk>/sertifikat/terbitkan/", views.certificates_issue, name="certificates_issue"),
    path("peserta/<int:pk>/mundur/", views.enrolment_withdraw, name="enrolment_withdraw"),
    path("peserta/<int:pk>/sertifikat/", views.certificate_issue, name="certificate_issue"),
    path("peserta/<int:pk>/tindak-lanjut/", views.followup_create, name="followup_create"),
    path("tindak-lanjut/<int:pk>/foto/", views.followup_photo, name="followup_photo"),
    path("sertifikat/v/<slug:token>/", public.certificate_verify, name="certificate_verify"),
    path("sertifikat/", public.certificate_check, name="certificate_check"),
    path("sertifikat/<path:number>/", public.certificate_check, name="certificate_check_number"),
    path("jenis/", views.type_list, name="type_list"),
    path("jenis/baru/", views.type_create, name="type_create"),
    path("mitra/<int:pk>/jenis/", views.partner_training_types, name="partner_training_types"),
]
