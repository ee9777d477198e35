from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from workbook.reader import MAX_UPLOAD_BYTES, mb


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("At most %(size)s MB. Nothing is written before you confirm the preview.") % {
            "size": mb(MAX_UPLOAD_BYTES)
        }
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is too large (%(size)s MB; at most %(max)s MB).")
                % {"size": mb(upload.size), "max": mb(MAX_UPLOAD_BYTES)}
            )
        if upload.name.lower().endswith(".xls"):
            raise forms.ValidationError(
                _("The old Excel format (.xls) is not supported; save the file as .xlsx and upload it again.")
            )
        return upload
