from django.apps import AppConfig


class WorkbookConfig(AppConfig):
    """Workbook import and export (docs/INTERFACES.md section 2): moving an office's spreadsheets in and out."""

    name = "workbook"
